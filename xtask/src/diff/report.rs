//! The diff report as Markdown (for a reviewer: a pull-request comment, CI
//! logs) or JSON (for tools; its fields are documented, and checked, by
//! `xtask/diff-report.schema.json`).
//!
//! The Markdown starts with the verdict line (`breaking: needs 0.2.0`),
//! then the API changes one collapsible section per operation or webhook
//! event (open when it has a breaking change), the deployment changes with what
//! to do, the deprecations, and the public Rust items.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Report;
use super::rust_items::{RustItem, fold_members};
use super::spec_changes::{Attention, Change, ChangeKind, Class};
use super::version::Level;

/// The version of the JSON report's layout; bumped when a field changes
/// meaning or goes (adding a field keeps it).
pub const JSON_SCHEMA_VERSION: u64 = 1;

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
        TagChanged => format!("tag changed: {d}"),
        ParameterTypeChanged | FieldTypeChanged => format!("{t}: type {d}"),
        SuccessBodyChanged => format!("{t}: {d}"),
        ParameterNowRequired | FieldNowRequired => format!("{t} is now required"),
        ParameterNowOptional | FieldNowOptional => format!("{t} is now optional"),
        ResponseBodyAdded => with_detail(format!("{t}: body added")),
        ResponseBodyRemoved => format!("{t}: body removed"),
        ErrorMessageChanged => format!("{t}: message {d}"),
        EnumValueAdded => format!("{t}: enum value {d} added"),
        EnumValueRemoved => format!("{t}: enum value {d} removed"),
        Deprecated => format!("{t} deprecated"),
        Undeprecated => format!("{t} no longer deprecated"),
        RateLimitChanged => format!("{t} {d}"),
        PrerequisitesChanged => "prerequisites changed".into(),
        EventAdded => "event added".into(),
        EventRemoved => "event removed".into(),
        ParameterAdded | RequestBodyAdded | StatusAdded | ErrorCodeAdded | FieldAdded
        | ScopeAdded => with_detail(format!("{t} added")),
        ParameterRemoved | RequestBodyRemoved | StatusRemoved | ErrorCodeRemoved | FieldRemoved
        | ScopeRemoved => with_detail(format!("{t} removed")),
    }
}

/// `breaking`, `breaking, at run time`, `compatible, behaviour change`.
fn class_label(change: &Change) -> String {
    match (change.class, change.behaviour) {
        (Class::Breaking, true) => "breaking, at run time".into(),
        (Class::Compatible, true) => "compatible, behaviour change".into(),
        (class, _) => class.as_str().into(),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn markdown(report: &Report) -> String {
    let verdict = report.verdict();
    let mut out = format!("{}\n\n", verdict.line());
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
    let api: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.attention() == Attention::Api)
        .collect();
    let deployment: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.attention() == Attention::Deployment)
        .collect();
    let deprecations: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.attention() == Attention::Deprecation)
        .collect();
    if let (Some(from), Some(to)) = (verdict.base_version, head.version) {
        out.push_str(&format!(
            "zoom-accounts {from} at `{}`, {to} at `{}`. ",
            base.label, head.label
        ));
    }
    if report.changes.is_empty() {
        out.push_str("No change to the API.\n\n");
    } else {
        let count = |class: Class, behaviour: bool| {
            api.iter()
                .filter(|c| c.class == class && (c.behaviour || !behaviour))
                .count()
        };
        out.push_str(&format!(
            "**{} breaking** ({} at run time), {} compatible ({}), {} docs only; {}; {}. \
             Verdicts follow the compatibility contract in the README.\n\n",
            count(Class::Breaking, false),
            count(Class::Breaking, true),
            count(Class::Compatible, false),
            plural(
                count(Class::Compatible, true),
                "behaviour change",
                "behaviour changes"
            ),
            count(Class::Docs, false),
            plural(deployment.len(), "deployment change", "deployment changes"),
            plural(deprecations.len(), "deprecation", "deprecations"),
        ));
    }
    if verdict.level == Level::Breaking
        && report.breaking() == 0
        && let Some(items) = report.rust_breaking().filter(|n| *n > 0)
    {
        let (what, verb) = if items == 1 {
            ("public Rust item", "is")
        } else {
            ("public Rust items", "are")
        };
        out.push_str(&format!(
            "Breaking although no spec change is: {items} {what} of the generated client \
             {verb} removed or changed (see Public Rust items).\n\n"
        ));
    }

    if !api.is_empty() {
        out.push_str("## API changes by operation\n\n");
        let mut by_operation: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &api {
            by_operation
                .entry(c.operation.as_str())
                .or_default()
                .push(c);
        }
        for (operation, changes) in by_operation {
            let breaking = changes.iter().filter(|c| c.breaking()).count();
            let id = changes[0]
                .operation_id
                .as_deref()
                .map(|id| format!(" (<code>{}</code>)", html(id)))
                .unwrap_or_default();
            let mut counts = Vec::new();
            for class in [Class::Breaking, Class::Compatible, Class::Docs] {
                let n = changes.iter().filter(|c| c.class == class).count();
                if n > 0 {
                    counts.push(format!("{n} {}", class.as_str()));
                }
            }
            out.push_str(&format!(
                "<details{}><summary><code>{}</code>{id}: {}</summary>\n\n\
                 | Class | Change | Why |\n| --- | --- | --- |\n",
                if breaking > 0 { " open" } else { "" },
                html(operation),
                counts.join(", ")
            ));
            for c in changes {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    class_label(c),
                    cell(&describe(c)),
                    cell(c.reason)
                ));
            }
            out.push_str("\n</details>\n\n");
        }
    }

    if !deployment.is_empty() {
        out.push_str(
            "## Deployment changes\n\n\
             No Rust code changes; what a deployed app must be granted, or how it is \
             throttled (`--fail-on deployment` gates these).\n\n\
             | Operation | Change | What to do |\n| --- | --- | --- |\n",
        );
        for c in &deployment {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                cell(&c.operation),
                cell(&describe(c)),
                cell(&c.action)
            ));
        }
        out.push('\n');
    }

    if !deprecations.is_empty() {
        out.push_str("## Deprecations\n\n| Operation | Change | Effect |\n| --- | --- | --- |\n");
        for c in &deprecations {
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
                 compatible.\n\n",
                rust.removed.len(),
                rust.changed.len(),
                rust.added.len()
            ));
            // A removed or added type stands for its members.
            let items = |list: &[RustItem]| -> Vec<String> {
                fold_members(list)
                    .into_iter()
                    .map(|(i, members)| {
                        let mut line = format!("- `{}` ({})", i.path, i.kind);
                        if !i.signature.is_empty() && !matches!(i.kind, "struct" | "enum") {
                            line.push_str(&format!(": `{}`", i.signature));
                        }
                        if members > 0 {
                            line.push_str(&format!(
                                " and its {}",
                                plural(members, "member", "members")
                            ));
                        }
                        line.push('\n');
                        line
                    })
                    .collect()
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
            section("Removed", items(&rust.removed));
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
            section("Added", items(&rust.added));
        }
    }
    out
}

/// The report for tools; every field is described in
/// `xtask/diff-report.schema.json`.
pub fn json(report: &Report) -> Value {
    let verdict = report.verdict();
    let version = |v: Option<super::version::CrateVersion>| v.map(|v| v.to_string());
    let side = |r: &super::Revision| json!({"revision": r.label, "has_spec": r.spec.is_some(), "version": version(r.version)});
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
    let count = |f: &dyn Fn(&Change) -> bool| report.count(f);
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "verdict": {
            "line": verdict.line(),
            "level": verdict.level.as_str(),
            "needs": version(verdict.needs),
            "rust_compared": verdict.rust_error.is_none(),
        },
        "base": side(&report.base),
        "head": side(&report.head),
        "breaking": count(&|c| c.class == Class::Breaking),
        "compatible": count(&|c| c.class == Class::Compatible),
        "docs": count(&|c| c.class == Class::Docs),
        "deployment": count(&|c| c.class == Class::Deployment),
        "behaviour": count(&|c| c.behaviour),
        "deprecations": count(&|c| c.attention() == Attention::Deprecation),
        "rust_breaking": report.rust_breaking(),
        "changes": report.changes.iter().map(|c| json!({
            "kind": c.kind.as_str(),
            "class": c.class.as_str(),
            "attention": match c.attention() {
                Attention::Api => "api",
                Attention::Deprecation => "deprecation",
                Attention::Deployment => "deployment",
            },
            "breaking": c.breaking(),
            "behaviour": c.behaviour,
            "operation": c.operation,
            "operation_id": c.operation_id,
            "target": c.target,
            "detail": c.detail,
            "reason": c.reason,
            "action": c.action,
            "summary": describe(c),
        })).collect::<Vec<_>>(),
        "rust": rust,
    })
}
