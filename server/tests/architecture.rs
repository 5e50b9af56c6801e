//! The layering rules, checked on the source: no import cycles between the engine's modules (the
//! engine itself, the composition root every service may take, aside), and none between sibling
//! files of the app.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `root` as (module path, source without tests and comments).
fn modules(root: &Path) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((module_path(root, &path), source(&path)));
            }
        }
    }
    out
}

fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let relative: PathBuf = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn source(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a source names: `crate::a::b` as `[a, b]`, `super::x` relative to `module`.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    // In `a/b.rs` and in `a/b/mod.rs` alike (module a::b), `super` is `a`.
    let parent = module[..module.len().saturating_sub(1)].to_vec();
    let mut found = Vec::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            let preceded_by_ident = code[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if preceded_by_ident {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let path: Vec<String> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or_default()
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            let mut full = base.clone();
            full.extend(path);
            found.push(full);
        }
    }
    found
}

/// Strongly connected components with more than one node (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    #[derive(Default)]
    struct Search {
        next: usize,
        /// Each visited node's index and lowest reachable index.
        seen: BTreeMap<String, (usize, usize)>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        found: Vec<Vec<String>>,
    }
    fn visit(v: &str, edges: &BTreeMap<String, BTreeSet<String>>, s: &mut Search) {
        s.seen.insert(v.to_owned(), (s.next, s.next));
        s.next += 1;
        s.stack.push(v.to_owned());
        s.on_stack.insert(v.to_owned());
        for w in edges.get(v).into_iter().flatten() {
            let reach = if !s.seen.contains_key(w) {
                visit(w, edges, s);
                s.seen[w].1
            } else if s.on_stack.contains(w) {
                s.seen[w].0
            } else {
                continue;
            };
            let entry = s.seen.get_mut(v).unwrap();
            entry.1 = entry.1.min(reach);
        }
        if s.seen[v].0 == s.seen[v].1 {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = w == v;
                component.push(w);
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut search = Search::default();
    for v in edges.keys() {
        if !search.seen.contains_key(v) {
            visit(v, edges, &mut search);
        }
    }
    search.found
}

fn src(crate_dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src")
}

#[test]
fn the_engine_modules_import_each_other_in_one_direction() {
    let root_items = ["engine", "Engine", "lib", "main"];
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in modules(&src("server")) {
        let Some(top) = module.first().cloned() else {
            continue;
        };
        if root_items.contains(&top.as_str()) {
            continue;
        }
        for path in references(&module, &code) {
            let Some(target) = path.first() else { continue };
            if target != &top && !root_items.contains(&target.as_str()) {
                edges.entry(top.clone()).or_default().insert(target.clone());
            }
        }
    }
    assert!(
        edges.contains_key("dispatch"),
        "the checker sees the modules"
    );
    assert_eq!(cycles(&edges), Vec::<Vec<String>>::new(), "{edges:#?}");
}

#[test]
fn sibling_files_of_the_app_import_each_other_in_one_direction() {
    let all = modules(&src("app"));
    let known: BTreeSet<Vec<String>> = all.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &all {
        for path in references(module, code) {
            // The longest prefix that is a module of the crate.
            let Some(target) = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| known.contains(p))
            else {
                continue;
            };
            let siblings = target.len() == module.len()
                && target[..target.len() - 1] == module[..module.len() - 1];
            if siblings && &target != module {
                edges
                    .entry(module.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    assert!(!edges.is_empty(), "the checker sees the files");
    assert_eq!(cycles(&edges), Vec::<Vec<String>>::new(), "{edges:#?}");
}
