//! The part of a SQL `WHERE` text that file pruning understands: a top-level conjunction of
//! simple predicates (`col op literal`, `literal op col`, `col IS [NOT] NULL`, `col IN (...)`,
//! `col BETWEEN a AND b`). Anything else is left to the engine: an unrecognized conjunct is
//! ignored for pruning (never an error), and a top-level `OR` disables pruning altogether.

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Str(String),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn flipped(self) -> Op {
        match self {
            Op::Lt => Op::Gt,
            Op::Le => Op::Ge,
            Op::Gt => Op::Lt,
            Op::Ge => Op::Le,
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Conjunct {
    Compare {
        column: String,
        op: Op,
        value: Literal,
    },
    IsNull {
        column: String,
        negated: bool,
    },
    In {
        column: String,
        values: Vec<Literal>,
    },
}

impl Conjunct {
    pub fn column(&self) -> &str {
        match self {
            Conjunct::Compare { column, .. }
            | Conjunct::IsNull { column, .. }
            | Conjunct::In { column, .. } => column,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Word(String),
    Number(f64),
    Str(String),
    Op(Op),
    LParen,
    RParen,
    Comma,
    Minus,
    Other,
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        out.push(Token::Other);
                        return out;
                    }
                    Some(&q) if q == c => {
                        if chars.get(i + 1) == Some(&c) {
                            s.push(c);
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    Some(&other) => {
                        s.push(other);
                        i += 1;
                    }
                }
            }
            out.push(if c == '\'' {
                Token::Str(s)
            } else {
                Token::Ident(s)
            });
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || ((chars[i] == '+' || chars[i] == '-') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(text.parse().map(Token::Number).unwrap_or(Token::Other));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let (token, len) = match two.as_str() {
                "<=" => (Token::Op(Op::Le), 2),
                ">=" => (Token::Op(Op::Ge), 2),
                "<>" | "!=" => (Token::Op(Op::Ne), 2),
                "==" => (Token::Op(Op::Eq), 2),
                _ => (
                    match c {
                        '=' => Token::Op(Op::Eq),
                        '<' => Token::Op(Op::Lt),
                        '>' => Token::Op(Op::Gt),
                        '(' => Token::LParen,
                        ')' => Token::RParen,
                        ',' => Token::Comma,
                        '-' => Token::Minus,
                        _ => Token::Other,
                    },
                    1,
                ),
            };
            out.push(token);
            i += len;
        }
    }
    out
}

fn is_word(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
}

/// Splits at top-level `AND`s; `None` when there is a top-level `OR` (or unbalanced parens).
fn split_conjuncts(tokens: &[Token]) -> Option<Vec<&[Token]>> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut in_between) = (0i32, 0usize, false);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            Token::Word(w) if depth == 0 => {
                if w.eq_ignore_ascii_case("or") {
                    return None;
                } else if w.eq_ignore_ascii_case("between") {
                    in_between = true;
                } else if w.eq_ignore_ascii_case("and") {
                    if in_between {
                        in_between = false;
                    } else {
                        parts.push(&tokens[start..i]);
                        start = i + 1;
                    }
                }
            }
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    parts.push(&tokens[start..]);
    Some(parts)
}

/// A literal starting at `tokens[0]`: value and tokens used.
fn literal(tokens: &[Token]) -> Option<(Literal, usize)> {
    match tokens.first()? {
        Token::Number(n) => Some((Literal::Number(*n), 1)),
        Token::Minus => match tokens.get(1)? {
            Token::Number(n) => Some((Literal::Number(-n), 2)),
            _ => None,
        },
        Token::Str(s) => Some((Literal::Str(s.clone()), 1)),
        Token::Word(w) if w.eq_ignore_ascii_case("true") => Some((Literal::Bool(true), 1)),
        Token::Word(w) if w.eq_ignore_ascii_case("false") => Some((Literal::Bool(false), 1)),
        // DATE '...' / TIMESTAMP '...'
        Token::Word(w)
            if ["date", "timestamp", "timestamptz"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k)) =>
        {
            match tokens.get(1)? {
                Token::Str(s) => Some((Literal::Str(s.clone()), 2)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn column(token: Option<&Token>) -> Option<String> {
    match token? {
        Token::Ident(name) => Some(name.clone()),
        Token::Word(w)
            if ![
                "not",
                "null",
                "is",
                "in",
                "and",
                "or",
                "between",
                "true",
                "false",
                "date",
                "timestamp",
            ]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k)) =>
        {
            Some(w.clone())
        }
        _ => None,
    }
}

fn strip_parens(mut tokens: &[Token]) -> &[Token] {
    while tokens.len() >= 2
        && tokens.first() == Some(&Token::LParen)
        && tokens.last() == Some(&Token::RParen)
        && split_conjuncts(&tokens[1..tokens.len() - 1]).is_some()
    {
        tokens = &tokens[1..tokens.len() - 1];
    }
    tokens
}

fn parse_conjunct(tokens: &[Token]) -> Option<Vec<Conjunct>> {
    let t = strip_parens(tokens);
    // col op lit
    if let (Some(col), Some(Token::Op(op))) = (column(t.first()), t.get(1)) {
        let (value, used) = literal(&t[2..])?;
        return (used + 2 == t.len()).then(|| {
            vec![Conjunct::Compare {
                column: col,
                op: *op,
                value,
            }]
        });
    }
    // lit op col
    if let Some((value, used)) = literal(t) {
        if let Some(Token::Op(op)) = t.get(used) {
            let col = column(t.get(used + 1))?;
            return (used + 2 == t.len()).then(|| {
                vec![Conjunct::Compare {
                    column: col,
                    op: op.flipped(),
                    value,
                }]
            });
        }
        return None;
    }
    let col = column(t.first())?;
    let rest = &t[1..];
    if is_word(rest.first(), "is") {
        return match rest.len() {
            2 if is_word(rest.get(1), "null") => Some(vec![Conjunct::IsNull {
                column: col,
                negated: false,
            }]),
            3 if is_word(rest.get(1), "not") && is_word(rest.get(2), "null") => {
                Some(vec![Conjunct::IsNull {
                    column: col,
                    negated: true,
                }])
            }
            _ => None,
        };
    }
    if is_word(rest.first(), "in") && rest.get(1) == Some(&Token::LParen) {
        let mut values = Vec::new();
        let mut i = 2;
        loop {
            let (value, used) = literal(&rest[i..])?;
            values.push(value);
            i += used;
            match rest.get(i)? {
                Token::Comma => i += 1,
                Token::RParen if i + 1 == rest.len() => {
                    return Some(vec![Conjunct::In {
                        column: col,
                        values,
                    }])
                }
                _ => return None,
            }
        }
    }
    if is_word(rest.first(), "between") {
        let (low, a) = literal(&rest[1..])?;
        if !is_word(rest.get(1 + a), "and") {
            return None;
        }
        let (high, b) = literal(&rest[2 + a..])?;
        return (2 + a + b == rest.len()).then(|| {
            vec![
                Conjunct::Compare {
                    column: col.clone(),
                    op: Op::Ge,
                    value: low,
                },
                Conjunct::Compare {
                    column: col,
                    op: Op::Le,
                    value: high,
                },
            ]
        });
    }
    None
}

/// What pruning understood of a predicate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub conjuncts: Vec<Conjunct>,
    /// Top-level conjuncts that pruning does not use.
    pub ignored: usize,
    /// A top-level OR (or unbalanced text): nothing is used.
    pub not_a_conjunction: bool,
}

/// Parses the prunable conjuncts of `predicate`.
pub fn parse(predicate: &str) -> Parsed {
    let tokens = tokenize(predicate);
    let Some(parts) = split_conjuncts(&tokens) else {
        return Parsed {
            not_a_conjunction: true,
            ignored: 1,
            ..Parsed::default()
        };
    };
    let mut parsed = Parsed::default();
    for part in parts {
        match parse_conjunct(part) {
            Some(c) => parsed.conjuncts.extend(c),
            None => parsed.ignored += 1,
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(column: &str, op: Op, value: Literal) -> Conjunct {
        Conjunct::Compare {
            column: column.into(),
            op,
            value,
        }
    }

    #[test]
    fn simple_conjunctions() {
        let p =
            parse("id >= 10 AND \"Super Name\" = 'x''y' and 5 > v AND k IS NULL AND j is not null");
        assert_eq!(
            p.conjuncts,
            vec![
                cmp("id", Op::Ge, Literal::Number(10.0)),
                cmp("Super Name", Op::Eq, Literal::Str("x'y".into())),
                cmp("v", Op::Lt, Literal::Number(5.0)),
                Conjunct::IsNull {
                    column: "k".into(),
                    negated: false
                },
                Conjunct::IsNull {
                    column: "j".into(),
                    negated: true
                },
            ]
        );
        assert_eq!(p.ignored, 0);
    }

    #[test]
    fn in_between_and_typed_literals() {
        let p = parse("(a IN (1, -2.5, 'x')) AND d BETWEEN DATE '2021-01-01' AND '2021-02-01' AND flag = true");
        assert_eq!(p.conjuncts.len(), 4);
        assert_eq!(
            p.conjuncts[0],
            Conjunct::In {
                column: "a".into(),
                values: vec![
                    Literal::Number(1.0),
                    Literal::Number(-2.5),
                    Literal::Str("x".into())
                ]
            }
        );
        assert_eq!(
            p.conjuncts[1],
            cmp("d", Op::Ge, Literal::Str("2021-01-01".into()))
        );
        assert_eq!(p.conjuncts[3], cmp("flag", Op::Eq, Literal::Bool(true)));
    }

    #[test]
    fn what_is_not_understood_is_ignored() {
        let p = parse("a = 1 OR b = 2");
        assert!(p.not_a_conjunction && p.conjuncts.is_empty());
        let p = parse("a + 1 = 2 AND lower(s) = 'x' AND b < 3 AND (c = 1 OR c = 2)");
        assert_eq!(p.conjuncts, vec![cmp("b", Op::Lt, Literal::Number(3.0))]);
        assert_eq!(p.ignored, 3);
        assert!(parse("a = 'unterminated").conjuncts.is_empty());
    }
}
