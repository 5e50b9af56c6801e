//! A typical custom body and the profiles it reads, for the render and dispatch benchmarks.
// Bench binaries each compile this file and each uses a part of it.
#![allow(dead_code)]

/// A profile such as the custom body reads: a name, a plan, a city, a score and five items.
pub fn profile_data(u: usize) -> String {
    let plan = if u.is_multiple_of(3) { "gold" } else { "basic" };
    format!(
        r#"{{"Name":"User {u}","Email":"user{u}@example.com","Plan":"{plan}","City":"City {}","Score":{},"Items":["a{u}","b","c","d","e"]}}"#,
        u % 50,
        u % 1000
    )
}

/// A typical custom body: ten variables, one `if`, one `for` over five items.
pub const CUSTOM_BODY: &str = r#"{
  "user": {{ Profile.Identity | json }},
  "id": {{ Profile.ObjectId | json }},
  "email": {{ Profile.Email | default: "none" | json }},
  "name": {{ Profile.Name | default: "there" | json }},
  "plan": {{ Profile.Plan | upcase | json }},
  "city": {{ Profile.City | json }},
  "score": {{ Profile.Score | default: 0 }},
  "campaign": {{ Campaign.id }},
  "title": {{ Campaign.name | json }},
  "source": {{ Linked.source | json }},
  {% if Profile.Plan == "gold" %}"offer": "GOLD20",{% else %}"offer": "WELCOME10",{% endif %}
  "items": [{% for item in Profile.Items %}{{ item | json }}{% unless forloop.last %},{% endunless %}{% endfor %}]
}"#;
