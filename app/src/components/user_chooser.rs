//! Choosing a user to render something for (a campaign's preview, a linked content's test fetch):
//! find users by identity or e-mail, then pick one, or keep the default.

use leptos::prelude::*;

use crate::api::campaigns::find_preview_users;
use crate::model::campaign_report::PreviewUser;

#[component]
pub fn UserChooser(
    /// The chosen profile id; `None` for the default.
    user: RwSignal<Option<i64>>,
    /// What `None` means here.
    default_label: &'static str,
    /// Called after a choice.
    on_choose: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    // The chosen user stays an option when a later search does not find them.
    let chosen: RwSignal<Option<PreviewUser>> = RwSignal::new(None);
    let search = Action::new(|text: &String| find_preview_users(text.clone()));
    let found = move || {
        let mut users = match search.value().get() {
            Some(Ok(users)) => users,
            _ => Vec::new(),
        };
        if let Some(c) = chosen.get()
            && !users.iter().any(|u| u.id == c.id)
        {
            users.insert(0, c);
        }
        users
    };
    let find = move || {
        search.dispatch(text.get_untracked());
    };
    let options = move || {
        found()
            .into_iter()
            .map(|u: PreviewUser| {
                let id = u.id;
                view! { <option value=id.to_string() selected=move || user.get() == Some(id)>{u.label()}</option> }
            })
            .collect_view()
    };
    let status = move || match search.value().get() {
        Some(Ok(users)) if users.is_empty() => {
            Some("No user has this identity or e-mail.".to_owned())
        }
        Some(Ok(users)) => Some(format!("{} found: choose one under User.", users.len())),
        Some(Err(e)) => Some(e.to_string()),
        None => None,
    };
    view! {
        <div class="preview-user">
            <div class="field">
                <label for="preview-user-search">"Find a user"</label>
                <div class="inline">
                    <input type="search" id="preview-user-search" placeholder="Identity or e-mail"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                find();
                            }
                        }/>
                    <button type="button" class="btn-secondary" on:click=move |_| find()>"Find"</button>
                </div>
                <p class="hint" role="status">{status}</p>
            </div>
            <div class="field">
                <label for="preview-user">"User"</label>
                <select id="preview-user" on:change=move |ev| {
                    let id: Option<i64> = event_target_value(&ev).parse().ok();
                    chosen.set(id.and_then(|id| found().into_iter().find(|u| u.id == id)));
                    user.set(id);
                    on_choose.run(());
                }>
                    <option value="" selected=move || user.get().is_none()>{default_label}</option>
                    {options}
                </select>
            </div>
        </div>
    }
}
