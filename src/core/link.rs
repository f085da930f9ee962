//! The app's addresses. Screens live in the URL fragment (`#/case/<id>`), so a deep link
//! survives a reload on any static file server: the server only ever sees `index.html`
//! (the desk) or `console.html` (the console).

use super::bundle::valid_id;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Cases,
    /// Open cases with a deadline, soonest due first.
    Queue,
    NewCase,
    Case(String),
    /// The trigger checklist, decision tree and recommendation of a case.
    Triage(String),
    /// The handoff summary of a case: completeness, formats, copy and download.
    Handoff(String),
    /// Resolve and close a case: the resolution summary and the close-out.
    CloseOut(String),
    /// Closed escalations waiting for the lead's review, and the lessons digest (console).
    Reviews,
    /// The review of one case (console).
    Review(String),
    /// Import a handoff or an export (file, drop or paste), and the questions it leaves.
    Import,
    /// The lead's figures over a period (console).
    Insights,
    /// Role-play scenarios and the trainee's results (console).
    Practice,
    /// Team mode: turn it on, join a team (a join link opens here), leave (console).
    Team,
    /// One run of a scenario (console).
    PracticeRun(String),
    Playbook,
    Data,
    /// Makes the app panic on purpose: the self-test of the crash screen.
    CrashTest,
    /// An address this version doesn't know: said so on screen.
    Unknown(String),
}

impl Route {
    /// Reads `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split(['?', '&']).next().unwrap_or_default();
        match path.split('/').collect::<Vec<_>>().as_slice() {
            [""] | ["cases"] => Route::Cases,
            ["new"] => Route::NewCase,
            ["queue"] => Route::Queue,
            ["import"] => Route::Import,
            ["data"] => Route::Data,
            ["insights"] => Route::Insights,
            ["reviews"] => Route::Reviews,
            ["reviews", id] if valid_id(id) => Route::Review((*id).to_string()),
            ["playbook"] => Route::Playbook,
            ["practice"] => Route::Practice,
            ["team"] => Route::Team,
            ["practice", id] if valid_id(id) => Route::PracticeRun((*id).to_string()),
            ["crash-test"] => Route::CrashTest,
            ["case", id] if valid_id(id) => Route::Case((*id).to_string()),
            ["case", id, "triage"] if valid_id(id) => Route::Triage((*id).to_string()),
            ["case", id, "handoff"] if valid_id(id) => Route::Handoff((*id).to_string()),
            ["case", id, "close"] if valid_id(id) => Route::CloseOut((*id).to_string()),
            _ => Route::Unknown(path.chars().take(80).collect()),
        }
    }

    /// The fragment to link to, `#/...`.
    pub fn href(&self) -> String {
        match self {
            Route::Cases | Route::Unknown(_) => "#/".to_string(),
            Route::CrashTest => "#/crash-test".to_string(),
            Route::NewCase => "#/new".to_string(),
            Route::Queue => "#/queue".to_string(),
            Route::Import => "#/import".to_string(),
            Route::Data => "#/data".to_string(),
            Route::Insights => "#/insights".to_string(),
            Route::Playbook => "#/playbook".to_string(),
            Route::Practice => "#/practice".to_string(),
            Route::Team => "#/team".to_string(),
            Route::PracticeRun(id) => format!("#/practice/{id}"),
            Route::Case(id) => format!("#/case/{id}"),
            Route::Triage(id) => format!("#/case/{id}/triage"),
            Route::Handoff(id) => format!("#/case/{id}/handoff"),
            Route::CloseOut(id) => format!("#/case/{id}/close"),
            Route::Reviews => "#/reviews".to_string(),
            Route::Review(id) => format!("#/reviews/{id}"),
        }
    }
}

/// The two pages of the app. The desk (`index.html`) is what an agent uses on a call and
/// what a host page embeds; the console (`console.html`) holds what a team lead or trainee
/// opens between calls. Each is its own download; see ARCHITECTURE.md for what goes where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Door {
    Desk,
    Console,
}

impl Route {
    /// The page a screen lives on.
    pub fn door(&self) -> Door {
        match self {
            Route::Playbook
            | Route::Data
            | Route::Insights
            | Route::Reviews
            | Route::Review(_)
            | Route::Practice
            | Route::PracticeRun(_)
            | Route::Team => Door::Console,
            _ => Door::Desk,
        }
    }
}

/// The form control a link asks to focus: `#/case/<id>?field=field-impact`. Only ids made
/// of lowercase letters and dashes are accepted.
pub fn field_to_focus(hash: &str) -> Option<String> {
    let query = hash.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("field="))?;
    (!value.is_empty()
        && value.len() <= 40
        && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
    .then(|| value.to_string())
}

/// The address of the case list showing only `ids` (the cases behind a figure).
pub fn cases_href(ids: &[String]) -> String {
    format!("#/?cases={}", ids.join(","))
}

/// The cases a list address asks for (`#/?cases=a,b`), if it asks; ids that can't be ours
/// are dropped.
pub fn cases_only(hash: &str) -> Option<Vec<String>> {
    let query = hash.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("cases="))?;
    Some(
        value
            .split(',')
            .filter(|id| valid_id(id))
            .map(str::to_string)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        for r in [
            Route::Cases,
            Route::Queue,
            Route::NewCase,
            Route::Import,
            Route::Data,
            Route::Insights,
            Route::Playbook,
            Route::Case("m3x-9_a".into()),
            Route::Triage("m3x-9_a".into()),
            Route::Handoff("m3x-9_a".into()),
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
        assert_eq!(Route::parse(""), Route::Cases);
        assert_eq!(Route::parse("#"), Route::Cases);
        assert_eq!(
            Route::parse("#/case/abc?field=field-impact"),
            Route::Case("abc".into())
        );
    }

    #[test]
    fn a_list_link_names_its_cases() {
        let ids = vec!["a1".to_string(), "b-2".to_string()];
        assert_eq!(cases_only(&cases_href(&ids)), Some(ids));
        assert_eq!(Route::parse(&cases_href(&[])), Route::Cases);
        assert_eq!(
            cases_only("#/?cases=ok,<script>,x_y"),
            Some(vec!["ok".into(), "x_y".into()])
        );
        assert_eq!(cases_only("#/"), None);
    }

    #[test]
    fn the_lead_screens_live_behind_the_console() {
        assert_eq!(Route::Playbook.door(), Door::Console);
        assert_eq!(Route::Data.door(), Door::Console);
        assert_eq!(Route::Insights.door(), Door::Console);
        for r in [Route::Cases, Route::Queue, Route::NewCase, Route::Import] {
            assert_eq!(r.door(), Door::Desk);
        }
        assert_eq!(Route::Case("a".into()).door(), Door::Desk);
        assert_eq!(Route::Unknown("x".into()).door(), Door::Desk);
    }

    #[test]
    fn a_link_can_ask_for_a_field() {
        assert_eq!(
            field_to_focus("#/case/a?field=field-impact").as_deref(),
            Some("field-impact")
        );
        assert_eq!(field_to_focus("#/case/a?field=<img>"), None);
        assert_eq!(field_to_focus("#/case/a"), None);
    }

    #[test]
    fn odd_addresses_are_unknown_not_trusted() {
        assert_eq!(
            Route::parse("#/case/<script>"),
            Route::Unknown("case/<script>".into())
        );
        assert_eq!(Route::parse("#/case/"), Route::Unknown("case/".into()));
        assert_eq!(Route::parse("#/nope"), Route::Unknown("nope".into()));
    }
}
