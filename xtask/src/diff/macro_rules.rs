//! Just enough of `macro_rules!` to list the items a generated file's own
//! macros expand to (the `open_enum!` of `types.rs`: each invocation is a
//! public enum with its variants, methods and impls).
//!
//! The generator defines its macros in the same files it invokes them, so
//! the item lister reads each definition and expands each invocation with
//! it, rather than knowing what any macro makes: a change to a macro's body
//! shows up as a change to every item it makes. Supported are what simple
//! item macros use: literal tokens and delimited groups, `$x:ident`,
//! `$x:literal`, `$x:lifetime`, `$x:tt`, `$x:meta` (the whole of an
//! attribute), `$x:ty`, `$x:expr`, `$x:path` (as much as `syn` parses as
//! one), and `$(...) sep? */+/?` repetitions, matched greedily without
//! backtracking. Anything else is an error naming the macro, so that items
//! are never silently missing from the list. The item lister also expands
//! the files' macros where they stand for a type (`record_type!(optional
//! T)` as a field's type), since that is the type a user sees.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};

/// One `macro_rules!` definition: its rules in order.
#[derive(Debug, Clone)]
pub struct MacroRules {
    name: String,
    rules: Vec<(Vec<Pattern>, TokenStream)>,
}

#[derive(Debug, Clone)]
enum Pattern {
    /// A token that must be there as written (idents and punctuation are
    /// compared by text).
    Token(TokenTree),
    Group(Delimiter, Vec<Pattern>),
    Var(String, Fragment),
    Repeat {
        inner: Vec<Pattern>,
        separator: Option<String>,
        op: char,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fragment {
    Ident,
    Literal,
    Lifetime,
    Tt,
    /// The rest of the enclosing group (an attribute's contents).
    Meta,
    /// What `syn` parses as a type, an expression or a path from here.
    Ty,
    Expr,
    Path,
}

/// What a metavariable matched: one fragment, or one per repetition.
#[derive(Debug, Clone)]
enum Binding {
    Leaf(Vec<TokenTree>),
    Seq(Vec<Binding>),
}

type Bindings = BTreeMap<String, Binding>;

impl MacroRules {
    /// A definition from the body of `macro_rules! name { ... }`.
    pub fn parse(name: &str, body: TokenStream) -> Result<Self, String> {
        let err = |what: &str| format!("macro_rules! {name}: {what}");
        let tokens: Vec<TokenTree> = body.into_iter().collect();
        let mut rules = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let (Some(TokenTree::Group(matcher)), true, Some(TokenTree::Group(body))) = (
                tokens.get(i),
                is_arrow_at(&tokens, i + 1),
                tokens.get(i + 3),
            ) else {
                return Err(err("expected `(matcher) => { body }`"));
            };
            rules.push((
                patterns(matcher.stream()).map_err(|e| err(&e))?,
                body.stream(),
            ));
            i += 4;
            if matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                i += 1;
            }
        }
        if rules.is_empty() {
            return Err(err("no rules"));
        }
        Ok(Self {
            name: name.to_string(),
            rules,
        })
    }

    /// The tokens an invocation with `input` expands to: the first rule
    /// whose matcher takes the whole input.
    pub fn expand(&self, input: TokenStream) -> Result<TokenStream, String> {
        let input: Vec<TokenTree> = input.into_iter().collect();
        for (matcher, body) in &self.rules {
            let mut bindings = Bindings::new();
            if let Some(end) = match_seq(matcher, &input, 0, &mut bindings)?
                && end == input.len()
            {
                return transcribe(body.clone(), &bindings)
                    .map_err(|e| format!("{}!: {e}", self.name));
            }
        }
        Err(format!(
            "{}!: no rule of the definition matches this invocation",
            self.name
        ))
    }
}

/// `=>` at `tokens[i..]`.
fn is_arrow_at(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == '=' && a.spacing() == Spacing::Joint && b.as_char() == '>'
    )
}

fn patterns(stream: TokenStream) -> Result<Vec<Pattern>, String> {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.get(i + 1) {
                Some(TokenTree::Ident(name)) => {
                    let fragment = match (tokens.get(i + 2), tokens.get(i + 3)) {
                        (Some(TokenTree::Punct(colon)), Some(TokenTree::Ident(kind)))
                            if colon.as_char() == ':' =>
                        {
                            match kind.to_string().as_str() {
                                "ident" => Fragment::Ident,
                                "literal" => Fragment::Literal,
                                "lifetime" => Fragment::Lifetime,
                                "tt" => Fragment::Tt,
                                "meta" => Fragment::Meta,
                                "ty" => Fragment::Ty,
                                "expr" => Fragment::Expr,
                                "path" => Fragment::Path,
                                other => {
                                    return Err(format!("fragment `{other}` is not supported"));
                                }
                            }
                        }
                        _ => return Err(format!("`${name}` without a fragment kind")),
                    };
                    out.push(Pattern::Var(name.to_string(), fragment));
                    i += 4;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner = patterns(g.stream())?;
                    let (separator, op, used) = repetition_tail(&tokens, i + 2)?;
                    out.push(Pattern::Repeat {
                        inner,
                        separator,
                        op,
                    });
                    i += 2 + used;
                }
                _ => return Err("a `$` that starts neither a variable nor a repetition".into()),
            },
            TokenTree::Group(g) => {
                out.push(Pattern::Group(g.delimiter(), patterns(g.stream())?));
                i += 1;
            }
            other => {
                out.push(Pattern::Token(other.clone()));
                i += 1;
            }
        }
    }
    Ok(out)
}

/// After `$( ... )`: an optional separator token and `*`, `+` or `?`.
fn repetition_tail(
    tokens: &[TokenTree],
    i: usize,
) -> Result<(Option<String>, char, usize), String> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    if let Some(op) = op(tokens.get(i)) {
        return Ok((None, op, 1));
    }
    match (tokens.get(i), op(tokens.get(i + 1))) {
        (Some(separator), Some(op)) if !matches!(separator, TokenTree::Group(_)) => {
            Ok((Some(separator.to_string()), op, 2))
        }
        _ => Err("a repetition without `*`, `+` or `?`".into()),
    }
}

/// Matches `patterns` against `input[at..]`; the position after the match,
/// or `None` when it does not match.
fn match_seq(
    patterns: &[Pattern],
    input: &[TokenTree],
    mut at: usize,
    bindings: &mut Bindings,
) -> Result<Option<usize>, String> {
    for (n, pattern) in patterns.iter().enumerate() {
        match pattern {
            Pattern::Token(expected) => match input.get(at) {
                Some(found) if same_token(expected, found) => at += 1,
                _ => return Ok(None),
            },
            Pattern::Group(delimiter, inner) => match input.get(at) {
                Some(TokenTree::Group(g)) if g.delimiter() == *delimiter => {
                    let contents: Vec<TokenTree> = g.stream().into_iter().collect();
                    match match_seq(inner, &contents, 0, bindings)? {
                        Some(end) if end == contents.len() => at += 1,
                        _ => return Ok(None),
                    }
                }
                _ => return Ok(None),
            },
            Pattern::Var(name, fragment) => {
                let taken = match fragment {
                    Fragment::Meta => {
                        if n + 1 != patterns.len() {
                            return Err(format!("`${name}:meta` must end its group"));
                        }
                        input.len().saturating_sub(at)
                    }
                    Fragment::Tt => usize::from(at < input.len()),
                    Fragment::Ident => {
                        usize::from(matches!(input.get(at), Some(TokenTree::Ident(_))))
                    }
                    Fragment::Lifetime => match (input.get(at), input.get(at + 1)) {
                        (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(_)))
                            if p.as_char() == '\'' =>
                        {
                            2
                        }
                        _ => 0,
                    },
                    Fragment::Literal => match (input.get(at), input.get(at + 1)) {
                        (Some(TokenTree::Literal(_)), _) => 1,
                        (Some(TokenTree::Punct(p)), Some(TokenTree::Literal(_)))
                            if p.as_char() == '-' =>
                        {
                            2
                        }
                        (Some(TokenTree::Ident(i)), _) if i == "true" || i == "false" => 1,
                        _ => 0,
                    },
                    Fragment::Ty => parsed_prefix::<syn::Type>(&input[at..]),
                    Fragment::Expr => parsed_prefix::<syn::Expr>(&input[at..]),
                    Fragment::Path => parsed_prefix::<syn::Path>(&input[at..]),
                };
                if taken == 0 {
                    return Ok(None);
                }
                bindings.insert(name.clone(), Binding::Leaf(input[at..at + taken].to_vec()));
                at += taken;
            }
            Pattern::Repeat {
                inner,
                separator,
                op,
            } => {
                let mut rounds: Vec<Bindings> = Vec::new();
                loop {
                    let mut start = at;
                    if !rounds.is_empty()
                        && let Some(separator) = separator
                    {
                        match input.get(at) {
                            Some(t) if t.to_string() == *separator => start += 1,
                            _ => break,
                        }
                    }
                    let mut round = Bindings::new();
                    match match_seq(inner, input, start, &mut round)? {
                        Some(end) if end > start => {
                            rounds.push(round);
                            at = end;
                        }
                        _ => break,
                    }
                    if *op == '?' {
                        break;
                    }
                }
                if *op == '+' && rounds.is_empty() {
                    return Ok(None);
                }
                for name in variables(inner) {
                    let seq = rounds
                        .iter_mut()
                        .map(|r| r.remove(&name).unwrap_or(Binding::Seq(Vec::new())))
                        .collect();
                    bindings.insert(name, Binding::Seq(seq));
                }
            }
        }
    }
    Ok(Some(at))
}

/// How many token trees at the start of `tokens` `syn` parses as one `T`
/// (0 when it does not).
fn parsed_prefix<T: syn::parse::Parse>(tokens: &[TokenTree]) -> usize {
    let stream: TokenStream = tokens.iter().cloned().collect();
    let rest = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| -> syn::Result<usize> {
            input.parse::<T>()?;
            Ok(input.parse::<TokenStream>()?.into_iter().count())
        },
        stream,
    );
    rest.map_or(0, |rest| tokens.len() - rest)
}

fn same_token(expected: &TokenTree, found: &TokenTree) -> bool {
    match (expected, found) {
        (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
        (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
        (TokenTree::Literal(a), TokenTree::Literal(b)) => a.to_string() == b.to_string(),
        _ => false,
    }
}

/// The metavariables a matcher binds.
fn variables(patterns: &[Pattern]) -> Vec<String> {
    let mut out = Vec::new();
    for p in patterns {
        match p {
            Pattern::Var(name, _) => out.push(name.clone()),
            Pattern::Group(_, inner) | Pattern::Repeat { inner, .. } => {
                out.extend(variables(inner))
            }
            Pattern::Token(_) => {}
        }
    }
    out
}

/// The body with every `$x` and `$( ... )` filled in from `bindings`.
fn transcribe(body: TokenStream, bindings: &Bindings) -> Result<TokenStream, String> {
    let tokens: Vec<TokenTree> = body.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.get(i + 1) {
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    out.extend([tokens[i].clone(), tokens[i + 1].clone()]);
                    i += 2;
                }
                Some(TokenTree::Ident(name)) => match bindings.get(&name.to_string()) {
                    Some(Binding::Leaf(leaf)) => {
                        out.extend(leaf.iter().cloned());
                        i += 2;
                    }
                    Some(Binding::Seq(_)) => {
                        return Err(format!("`${name}` is used outside its repetition"));
                    }
                    None => return Err(format!("`${name}` is not bound by the matcher")),
                },
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let (separator, _, used) = repetition_tail(&tokens, i + 2)?;
                    let repeated: Vec<&String> = used_variables(g.stream())
                        .into_iter()
                        .filter_map(|n| match bindings.get_key_value(&n) {
                            Some((k, Binding::Seq(_))) => Some(k),
                            _ => None,
                        })
                        .collect();
                    let lengths: Vec<usize> = repeated
                        .iter()
                        .map(|n| match &bindings[*n] {
                            Binding::Seq(s) => s.len(),
                            Binding::Leaf(_) => 0,
                        })
                        .collect();
                    let Some(&count) = lengths.first() else {
                        return Err("a repetition that repeats no variable".into());
                    };
                    if lengths.iter().any(|&l| l != count) {
                        return Err(
                            "variables of one repetition repeat a different number of times".into(),
                        );
                    }
                    for round in 0..count {
                        if round > 0
                            && let Some(separator) = &separator
                        {
                            out.extend(
                                separator
                                    .parse::<TokenStream>()
                                    .map_err(|e| e.to_string())?,
                            );
                        }
                        let mut inner = bindings.clone();
                        for name in &repeated {
                            if let Binding::Seq(seq) = &bindings[*name] {
                                inner.insert((*name).clone(), seq[round].clone());
                            }
                        }
                        out.extend(transcribe(g.stream(), &inner)?);
                    }
                    i += 2 + used;
                }
                _ => {
                    out.extend([tokens[i].clone()]);
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), transcribe(g.stream(), bindings)?);
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
                i += 1;
            }
            other => {
                out.extend([other.clone()]);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Every `$name` in a transcriber fragment (at any depth).
fn used_variables(stream: TokenStream) -> Vec<String> {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    out.push(name.to_string());
                }
            }
            TokenTree::Group(g) => out.extend(used_variables(g.stream())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(definition: &str, input: &str) -> Result<String, String> {
        let rules = MacroRules::parse("m", definition.parse().unwrap())?;
        rules.expand(input.parse().unwrap()).map(|t| t.to_string())
    }

    #[test]
    fn expands_nested_repetitions_and_attributes() {
        let definition = r#"
            ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
                $(#[$meta])*
                pub enum $name { $($(#[$vmeta])* $variant,)* Unknown(String), }
                impl $name { pub fn as_str(&self) -> &str { match self { $(Self::$variant => $value,)* Self::Unknown(v) => v, } } }
            };
        "#;
        let out = expand(
            definition,
            r#"#[doc = "E."] E { #[doc = "a"] A = "a", B = "b", }"#,
        )
        .unwrap();
        let file: syn::File = syn::parse_str(&out).unwrap();
        assert_eq!(file.items.len(), 2);
        let syn::Item::Enum(e) = &file.items[0] else {
            panic!("{out}")
        };
        let variants: Vec<String> = e.variants.iter().map(|v| v.ident.to_string()).collect();
        assert_eq!(variants, ["A", "B", "Unknown"]);
        assert_eq!(e.attrs.len(), 1);
        assert_eq!(e.variants[0].attrs.len(), 1);
        assert!(out.contains("B => \"b\""), "{out}");
    }

    #[test]
    fn separators_and_errors() {
        let list = "($($x:ident),*) => { $(pub struct $x;)* };";
        let out = expand(list, "A, B, C").unwrap();
        assert_eq!(out.matches("pub struct").count(), 3);
        assert_eq!(
            expand(list, "A B").unwrap_err(),
            "m!: no rule of the definition matches this invocation"
        );
        assert_eq!(
            MacroRules::parse("m", "($x:pat) => {};".parse().unwrap()).unwrap_err(),
            "macro_rules! m: fragment `pat` is not supported"
        );
    }
}
