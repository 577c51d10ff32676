//! The diff report as Markdown (for a reviewer, and CI logs) or JSON (for
//! tools).

use serde_json::{Value, json};

use super::Report;
use super::rust_items::RustItem;
use super::spec_changes::{Change, ChangeKind};

/// A sentence for one change: `response 200 field `id` removed`.
pub fn describe(change: &Change) -> String {
    let t = &change.target;
    let d = &change.detail;
    let with_detail = |s: String| {
        if d.is_empty() {
            s
        } else {
            format!("{s} ({d})")
        }
    };
    use ChangeKind::*;
    match change.kind {
        OperationAdded => with_detail(format!("operation added, {t}")),
        OperationRemoved => with_detail(format!("operation removed, {t}")),
        OperationIdChanged => format!("operationId changed: {d}"),
        ParameterTypeChanged | FieldTypeChanged => format!("{t}: type {d}"),
        ParameterNowRequired | FieldNowRequired => format!("{t} is now required"),
        ParameterNowOptional | FieldNowOptional => format!("{t} is now optional"),
        ResponseBodyAdded => format!("{t}: body added"),
        ResponseBodyRemoved => format!("{t}: body removed"),
        ErrorMessageChanged => format!("{t}: message {d}"),
        EnumValueAdded => format!("{t}: enum value {d} added"),
        EnumValueRemoved => format!("{t}: enum value {d} removed"),
        RateLimitChanged => format!("{t} {d}"),
        PrerequisitesChanged => "prerequisites changed".into(),
        ParameterAdded | RequestBodyAdded | StatusAdded | ErrorCodeAdded | FieldAdded
        | ScopeAdded => with_detail(format!("{t} added")),
        ParameterRemoved | RequestBodyRemoved | StatusRemoved | ErrorCodeRemoved | FieldRemoved
        | ScopeRemoved => with_detail(format!("{t} removed")),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let base = &report.base;
    let head = &report.head;
    out.push_str(&format!(
        "# API changes: `{}` → `{}`\n\n",
        base.label, head.label
    ));
    for side in [base, head] {
        if side.spec.is_none() {
            out.push_str(&format!(
                "`{}` has no `spec/zoom-accounts.yaml`: compared as an empty API.\n\n",
                side.label
            ));
        }
    }
    let breaking: Vec<&Change> = report.changes.iter().filter(|c| c.breaking).collect();
    let compatible: Vec<&Change> = report.changes.iter().filter(|c| !c.breaking).collect();
    if report.changes.is_empty() {
        out.push_str("No change to the API.\n\n");
    } else {
        out.push_str(&format!(
            "**{} breaking**, {} compatible change{} (for users of the Rust client).\n\n",
            breaking.len(),
            compatible.len(),
            if compatible.len() == 1 { "" } else { "s" }
        ));
    }
    for (title, why, list) in [
        ("Breaking changes", "Why it breaks", &breaking),
        ("Compatible changes", "Why it does not", &compatible),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "## {title}\n\n| Operation | Change | {why} |\n| --- | --- | --- |\n"
        ));
        for c in list.iter() {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                cell(&c.operation),
                cell(&describe(c)),
                cell(c.reason)
            ));
        }
        out.push('\n');
    }

    out.push_str("## Public Rust items\n\n");
    match &report.rust {
        Err(e) => out.push_str(&format!("Not compared: {e}\n")),
        Ok(rust) if rust.is_empty() => out.push_str("No public item added, removed or changed.\n"),
        Ok(rust) => {
            out.push_str(&format!(
                "{} removed, {} changed, {} added. Removed and changed items break code that \
                 uses them (`--fail-on breaking` counts them), also where the spec change is \
                 compatible: the generator shares one type between equal schemas.\n\n",
                rust.removed.len(),
                rust.changed.len(),
                rust.added.len()
            ));
            let item = |i: &RustItem| {
                if i.signature.is_empty() {
                    format!("- `{}` ({})\n", i.path, i.kind)
                } else {
                    format!("- `{}` ({}): `{}`\n", i.path, i.kind, i.signature)
                }
            };
            let mut section = |title: &str, lines: Vec<String>| {
                if lines.is_empty() {
                    return;
                }
                out.push_str(&format!("### {title}\n\n"));
                // Long lists (a new operation brings dozens) fold away.
                let fold = lines.len() > 20;
                if fold {
                    out.push_str(&format!(
                        "<details><summary>{} items</summary>\n\n",
                        lines.len()
                    ));
                }
                for line in lines {
                    out.push_str(&line);
                }
                if fold {
                    out.push_str("\n</details>\n");
                }
                out.push('\n');
            };
            section("Removed", rust.removed.iter().map(item).collect());
            section(
                "Changed",
                rust.changed
                    .iter()
                    .map(|(b, h)| {
                        format!(
                            "- `{}` ({}): `{}` → `{}`\n",
                            b.path, h.kind, b.signature, h.signature
                        )
                    })
                    .collect(),
            );
            section("Added", rust.added.iter().map(item).collect());
        }
    }
    out
}

pub fn json(report: &Report) -> Value {
    let side = |r: &super::Revision| json!({"revision": r.label, "has_spec": r.spec.is_some()});
    let item = |i: &RustItem| json!({"path": i.path, "kind": i.kind, "signature": i.signature});
    let rust = match &report.rust {
        Ok(r) => json!({
            "removed": r.removed.iter().map(item).collect::<Vec<_>>(),
            "changed": r.changed.iter().map(|(b, h)| json!({
                "path": b.path, "kind": h.kind, "before": b.signature, "after": h.signature
            })).collect::<Vec<_>>(),
            "added": r.added.iter().map(item).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"error": e}),
    };
    json!({
        "base": side(&report.base),
        "head": side(&report.head),
        "breaking": report.breaking(),
        "rust_breaking": report.rust_breaking(),
        "compatible": report.changes.len() - report.breaking(),
        "changes": report.changes.iter().map(|c| json!({
            "kind": c.kind.as_str(),
            "operation": c.operation,
            "target": c.target,
            "detail": c.detail,
            "breaking": c.breaking,
            "reason": c.reason,
            "summary": describe(c),
        })).collect::<Vec<_>>(),
        "rust": rust,
    })
}
