//! A property's values for every row of a table (every event of one name, or every profile), each
//! row holding the id of its value in the column's dictionary (0: the row has no such property).
//! Filters are decided once per distinct value, then rows are tested by id.

use foldhash::HashMap;
use std::sync::Arc;

use super::value::Scalar;

#[derive(Debug, Default)]
pub struct Column {
    /// Value id per row; rows past the end have no value (the column is padded when written).
    ids: Vec<u32>,
    /// The distinct values, id `i` at `values[i - 1]`.
    values: Vec<Scalar>,
    by_text: HashMap<Arc<str>, u32>,
}

impl Column {
    /// The value id of `row`, 0 when it has none.
    pub fn id_at(&self, row: usize) -> u32 {
        self.ids.get(row).copied().unwrap_or(0)
    }

    pub fn values(&self) -> &[Scalar] {
        &self.values
    }

    /// Sets `row`'s value (`None` removes it).
    pub fn set(&mut self, row: usize, text: Option<&str>) {
        let id = text.map_or(0, |text| self.intern(text));
        if row >= self.ids.len() {
            if id == 0 {
                return;
            }
            self.ids.resize(row + 1, 0);
        }
        self.ids[row] = id;
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.by_text.get(text) {
            return *id;
        }
        let text: Arc<str> = Arc::from(text);
        self.values.push(Scalar::new(text.clone()));
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.by_text.insert(text, id);
        id
    }

    /// `test` decided for "no value" (index 0) and for each distinct value.
    pub fn decide(&self, test: impl Fn(Option<&Scalar>) -> bool) -> Vec<bool> {
        std::iter::once(test(None))
            .chain(self.values.iter().map(|v| test(Some(v))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_share_ids_for_equal_text_and_gaps_have_none() {
        let mut column = Column::default();
        column.set(2, Some("CA"));
        column.set(5, Some("CA"));
        column.set(6, Some("US"));
        assert_eq!(column.id_at(2), column.id_at(5));
        assert_eq!(column.id_at(0), 0);
        assert_eq!(column.id_at(100), 0);
        assert_eq!(column.values().len(), 2);
        column.set(5, None);
        assert_eq!(column.id_at(5), 0);
        let is_us = column.decide(|v| v.is_some_and(|v| &*v.text == "US"));
        assert_eq!(is_us, [false, false, true]);
    }
}
