//! The server functions' JSON, read from text. The wire format is server_fn's `Json` exactly; only
//! the browser's reading differs. Why: hydration reads each page's loaded data with
//! `serde_json::from_str`, while server_fn's `JsonEncoding` reads answers with `from_slice`, and the
//! two readers made the WASM carry every answer type's decoder twice.

use server_fn::codec::Post;
use server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};

pub struct JsonText;

/// Arguments and answers as JSON in the body of a `POST` (`#[server(input = Json, output = Json)]`).
pub type Json = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: serde::Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_what_it_writes_and_refuses_what_is_not_utf8_json() {
        let bytes = <JsonText as Encodes<Vec<String>>>::encode(&vec!["é".to_owned()]).unwrap();
        assert_eq!(&bytes[..], "[\"é\"]".as_bytes());
        let read: Vec<String> = JsonText::decode(bytes).unwrap();
        assert_eq!(read, ["é"]);
        let not_utf8 =
            <JsonText as Decodes<Vec<String>>>::decode(Bytes::from_static(b"[\"\xff\"]"));
        assert!(not_utf8.is_err());
        let not_json = <JsonText as Decodes<Vec<String>>>::decode(Bytes::from_static(b"[1"));
        assert!(not_json.is_err());
    }
}
