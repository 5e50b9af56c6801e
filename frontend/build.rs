//! Keeps the browser bundle's data segments apart when linking, so that `cargo leptos build --split`
//! can move each page's strings into that page's chunk: merged (wasm-ld's default in size-optimised
//! builds) they all stay in the main file (cargo-leptos issue #679).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch.starts_with("wasm")) {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
}
