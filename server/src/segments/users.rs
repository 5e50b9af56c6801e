//! A set of users as a bitmap over the index's profile numbers: rules give sets, `all` / `any`
//! intersect or unite them, and the reach is its population count.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSet {
    words: Vec<u64>,
    len: usize,
}

impl UserSet {
    /// No one, out of `len` users.
    pub fn empty(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Everyone, out of `len` users.
    pub fn full(len: usize) -> Self {
        let mut set = Self {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        set.trim();
        set
    }

    pub fn insert(&mut self, user: u32) {
        let user = user as usize;
        self.words[user / 64] |= 1 << (user % 64);
    }

    pub fn contains(&self, user: u32) -> bool {
        let user = user as usize;
        self.words
            .get(user / 64)
            .is_some_and(|w| w & (1 << (user % 64)) != 0)
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn intersect(&mut self, other: &UserSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn unite(&mut self, other: &UserSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Everyone not in the set.
    pub fn complement(mut self) -> Self {
        for w in &mut self.words {
            *w = !*w;
        }
        self.trim();
        self
    }

    /// The users in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                u32::try_from(i * 64).ok().map(|base| base + bit)
            })
        })
    }

    /// Clears the bits past `len`.
    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len;
        if extra > 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= u64::MAX >> extra;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations_stay_within_the_users() {
        let mut a = UserSet::empty(70);
        a.insert(3);
        a.insert(69);
        assert_eq!(a.iter().collect::<Vec<_>>(), [3, 69]);
        let not_a = a.clone().complement();
        assert_eq!(not_a.count(), 68);
        assert!(!not_a.contains(69) && not_a.contains(68));
        let mut all = UserSet::full(70);
        assert_eq!(all.count(), 70);
        all.intersect(&a);
        assert_eq!(all, a);
        let mut none = UserSet::empty(70);
        none.unite(&a);
        assert_eq!(none.count(), 2);
    }
}
