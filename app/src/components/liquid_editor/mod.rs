//! A Liquid template editor: a text area with line numbers, the error's line marked, and an `@`
//! autocomplete of variables — typing `@` lists the variables that match what follows it, and choosing
//! one (click, or arrows and Enter) puts `{{ Profile.Name }}` in place of the `@word`; Escape closes
//! the list. A live region tells screen readers how many match.

mod mention;

use leptos::html;
use leptos::prelude::*;

pub use mention::error_line;

#[component]
pub fn LiquidEditor(
    /// The text area's id; the label points at it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    /// Every variable offered, as `Profile.Name`.
    #[prop(into)]
    variables: Signal<Vec<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = 12)] rows: u32,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Ol>::new();
    // The mention being typed (the `@`'s byte index) and the index of the highlighted choice.
    let mention: RwSignal<Option<usize>> = RwSignal::new(None);
    let choices: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let active = RwSignal::new(0usize);
    let list_id = format!("{id}-variables");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");

    let caret = move || {
        area.get_untracked()
            .and_then(|a| a.selection_start().ok().flatten())
            .map_or(0, |c| c as usize)
    };
    let update_mention = move || {
        let text = value.get_untracked();
        match mention::mention_at(&text, caret()) {
            Some((at, query)) => {
                let found = mention::matching(&variables.get_untracked(), query);
                mention.set((!found.is_empty()).then_some(at));
                choices.set(found);
                active.set(0);
            }
            None => mention.set(None),
        }
    };
    let choose = move |variable: String| {
        let Some(at) = mention.get_untracked() else {
            return;
        };
        let (text, new_caret) = mention::insert(&value.get_untracked(), at, caret(), &variable);
        value.set(text.clone());
        mention.set(None);
        if let Some(area) = area.get_untracked() {
            area.set_value(&text);
            let caret = u32::try_from(new_caret).unwrap_or(u32::MAX);
            let _ = area.set_selection_range(caret, caret);
            let _ = area.focus();
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if mention.get_untracked().is_none() {
            return;
        }
        let count = choices.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                active.update(|i| *i = (*i + 1) % count.max(1));
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|i| *i = (*i + count.max(1) - 1) % count.max(1));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(v) = choices.with_untracked(|c| c.get(active.get_untracked()).cloned())
                {
                    choose(v);
                }
            }
            "Escape" => {
                ev.prevent_default();
                mention.set(None);
            }
            _ => {}
        }
    };
    let error_line = Signal::derive(move || error.get().as_deref().and_then(error_line));
    let line_numbers = move || {
        let lines = value.with(|v| v.split('\n').count());
        let marked = error_line.get();
        (1..=lines)
            .map(|n| view! { <li class:error-line=move || marked == Some(n)>{n}</li> })
            .collect_view()
    };
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || mention.get().map(|_| option_id(active.get()))
    };
    let list = {
        let list_id = list_id.clone();
        move || {
            mention.get().map(|_| {
                let items = choices
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let chosen = v.clone();
                        view! {
                            <li role="option" id=option_id(i) aria-selected=move || (active.get() == i).to_string()
                                class:active=move || active.get() == i
                                on:mousedown=move |ev| {
                                    // Keep the focus (and the caret) in the text area.
                                    ev.prevent_default();
                                    choose(chosen.clone());
                                }>
                                {v}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="mention-list" role="listbox" id=list_id.clone() aria-label="Variables">{items}</ul> }
            })
        }
    };
    let announcement = move || {
        mention.get().map(|_| {
            let n = choices.with(Vec::len);
            let noun = if n == 1 {
                "variable matches"
            } else {
                "variables match"
            };
            format!("{n} {noun}: arrows to move, Enter to insert, Escape to close.")
        })
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="field liquid-field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id>
                "Liquid: " <code>"{{ Profile.Name }}"</code> ", " <code>"{% if %}"</code> ", "
                <code>"{% for %}"</code> ", filters such as " <code>"default"</code> " and " <code>"json"</code>
                ". Type " <kbd>"@"</kbd> " to insert a variable."
            </p>
            <div class="liquid-editor">
                <ol class="line-numbers" node_ref=gutter aria-hidden="true">{line_numbers}</ol>
                <textarea id=id node_ref=area rows=rows spellcheck="false" autocomplete="off"
                    aria-autocomplete="list" aria-controls=list_id
                    aria-activedescendant=active_descendant
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        update_mention();
                    }
                    on:keydown=on_keydown
                    on:click=move |_| update_mention()
                    on:blur=move |_| mention.set(None)
                    on:scroll=move |_| {
                        if let (Some(area), Some(gutter)) = (area.get_untracked(), gutter.get_untracked()) {
                            gutter.set_scroll_top(area.scroll_top());
                        }
                    }></textarea>
            </div>
            {list}
            <p class="visually-hidden" aria-live="polite">{announcement}</p>
            {move || error.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}
