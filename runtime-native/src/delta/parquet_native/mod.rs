//! A small Parquet reader for the projected reads of checkpoints ([`Projection`]): it decodes
//! only the column chunks a projection selects and assembles the same rows DuckDB's projected
//! query returns ([`super::parquet_projection`]), without DuckDB's fixed cost per file and per
//! column chunk (which dominates reading the small checkpoints of many tables).
//!
//! It reads what Delta writers put in checkpoints: structs, standard three-level lists and
//! maps of booleans, (signed) integers and UTF-8 strings; PLAIN and dictionary encodings; data
//! pages V1 and V2; uncompressed, Snappy and (with the system's libzstd) ZSTD pages. Anything
//! else — another type, encoding or codec, a legacy list layout, a malformed file — is `Err(Unreadable)`
//! and the file is read by DuckDB instead, so this is only ever a faster way to the same rows
//! (tests compare both on every checkpoint of the corpus).

mod codec;
mod footer;
mod pages;
mod thrift;

use std::sync::Arc;

pub use codec::Decompressor;
use footer::{file_meta, SchemaElement, BOOLEAN, BYTE_ARRAY, INT32, INT64, OPTIONAL, REPEATED};
use pages::{read_chunk, Column, Raw};
use thrift::Res;
pub use thrift::Unreadable;

use super::parquet::{ParquetRow, Projection};
use super::parquet_projection::{projected_select, rows_of, schema_paths, Target};
use crate::wire::Value;

/// What a schema node is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Str,
    Struct,
    /// A three-level list: the node's child is the repeated group, whose only child the element.
    List,
    /// A map: the node's child is the repeated group of key and value.
    Map,
    /// Not readable here.
    Unsupported,
}

#[derive(Debug)]
struct Node {
    name: Arc<str>,
    kind: Kind,
    children: Vec<usize>,
    def: u16,
    rep: u16,
    /// Leaves under the node (itself for a leaf): a range of leaf indices.
    leaves: std::ops::Range<usize>,
}

/// The schema as a tree (node 0 the root) with levels, and the leaves in file order.
struct Tree {
    nodes: Vec<Node>,
    /// Leaf index → node index.
    leaves: Vec<usize>,
}

fn kind_of(e: &SchemaElement, elements: &[SchemaElement], children: &[usize]) -> Kind {
    if e.unusual {
        return Kind::Unsupported;
    }
    if e.num_children == 0 {
        if e.repetition == Some(REPEATED) {
            return Kind::Unsupported;
        }
        let integer = match (e.converted, e.logical, e.integer) {
            (None, None, _) => true,
            // INT_8, INT_16, INT_32, INT_64 (converted) or a signed INTEGER logical type.
            (Some(15..=18), _, None | Some((_, true))) => true,
            (None, Some(10), Some((_, true))) => true,
            _ => false,
        };
        return match e.physical {
            Some(BOOLEAN) if e.converted.is_none() && e.logical.is_none() => Kind::Bool,
            Some(INT32 | INT64) if integer => Kind::Int,
            Some(BYTE_ARRAY)
                if matches!(e.converted, Some(0)) && matches!(e.logical, None | Some(1))
                    || e.converted.is_none() && e.logical == Some(1) =>
            {
                Kind::Str
            }
            _ => Kind::Unsupported,
        };
    }
    if e.repetition == Some(REPEATED) {
        return Kind::Unsupported;
    }
    let repeated_child = || {
        let [child] = children else { return None };
        let c = elements.get(*child)?;
        (c.repetition == Some(REPEATED) && c.num_children > 0).then_some(c)
    };
    match (e.converted, e.logical) {
        // LIST: only the standard layout (`<list> repeated group list { element }`).
        (Some(3), None | Some(3)) | (None, Some(3)) => match repeated_child() {
            Some(c) if c.num_children == 1 && c.name == "list" && !c.unusual => Kind::List,
            _ => Kind::Unsupported,
        },
        // MAP (or the legacy MAP_KEY_VALUE): a repeated group of key and value.
        (Some(1 | 2), None | Some(2)) | (None, Some(2)) => match repeated_child() {
            Some(c) if c.num_children == 2 && !c.unusual => Kind::Map,
            _ => Kind::Unsupported,
        },
        (None, None) => Kind::Struct,
        _ => Kind::Unsupported,
    }
}

fn tree(elements: &[SchemaElement]) -> Res<Tree> {
    let mut nodes: Vec<Node> = Vec::with_capacity(elements.len());
    let mut leaves = Vec::new();
    // Children still expected per open group: (node, left).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut child_lists: Vec<Vec<usize>> = vec![Vec::new(); elements.len()];
    for (index, e) in elements.iter().enumerate() {
        let parent = if index == 0 {
            None
        } else {
            while open.last().is_some_and(|(_, left)| *left == 0) {
                open.pop();
            }
            let (parent, left) = open.last_mut().ok_or(Unreadable)?;
            *left -= 1;
            Some(*parent)
        };
        let (pdef, prep) = parent.map_or((0, 0), |p| (nodes[p].def, nodes[p].rep));
        let (def, rep) = if parent.is_none() {
            (0, 0)
        } else {
            match e.repetition {
                Some(OPTIONAL) => (pdef + 1, prep),
                Some(REPEATED) => (pdef + 1, prep + 1),
                _ => (pdef, prep),
            }
        };
        if let Some(p) = parent {
            child_lists[p].push(index);
        }
        let first_leaf = leaves.len();
        if e.num_children == 0 && parent.is_some() {
            leaves.push(index);
        }
        nodes.push(Node {
            name: Arc::from(e.name.as_str()),
            kind: Kind::Unsupported,
            children: Vec::new(),
            def,
            rep,
            leaves: first_leaf..first_leaf,
        });
        if e.num_children > 0 {
            open.push((index, e.num_children));
        }
    }
    if open.iter().any(|(_, left)| *left > 0) {
        return Err(Unreadable);
    }
    // Leaf ranges and kinds, children first.
    for index in (0..nodes.len()).rev() {
        let children = std::mem::take(&mut child_lists[index]);
        let leaves_range = match (children.first(), children.last()) {
            (Some(first), Some(last)) => nodes[*first].leaves.start..nodes[*last].leaves.end,
            _ => {
                let start = nodes[index].leaves.start;
                start..start + 1
            }
        };
        let e = &elements[index];
        nodes[index].kind = kind_of(e, elements, &children);
        nodes[index].leaves = leaves_range;
        nodes[index].children = children;
    }
    Ok(Tree { nodes, leaves })
}

/// The node at a dotted path below the root.
fn find(tree: &Tree, path: &str) -> Option<usize> {
    let mut node = 0;
    for part in path.split('.') {
        node = *tree.nodes[node]
            .children
            .iter()
            .find(|c| &*tree.nodes[**c].name == part)?;
    }
    Some(node)
}

/// Whether every node under `node` can be read.
fn supported(tree: &Tree, node: usize) -> bool {
    let n = &tree.nodes[node];
    match n.kind {
        Kind::Unsupported => false,
        Kind::List | Kind::Map => n
            .children
            .iter()
            .all(|r| tree.nodes[*r].children.iter().all(|c| supported(tree, *c))),
        _ => n.children.iter().all(|c| supported(tree, *c)),
    }
}

/// The decoded leaves (None where not needed) with, per leaf, the index of each entry's value.
struct Leaves {
    columns: Vec<Option<Column>>,
    /// For each entry: the number of defined entries before it (its value's index).
    value_index: Vec<Vec<u32>>,
}

impl Leaves {
    fn defs(&self, leaf: usize) -> &[u16] {
        self.columns[leaf].as_ref().map_or(&[], |c| &c.defs)
    }

    fn reps(&self, leaf: usize) -> &[u16] {
        self.columns[leaf].as_ref().map_or(&[], |c| &c.reps)
    }
}

/// Entry ranges (start, end) of each leaf under a node, indexed from its first leaf.
type Ranges = Vec<(usize, usize)>;

fn build(tree: &Tree, leaves: &Leaves, node: usize, ranges: &[(usize, usize)]) -> Res<Value> {
    let n = &tree.nodes[node];
    let first = n.leaves.start;
    let (start, end) = *ranges.first().ok_or(Unreadable)?;
    if start >= end {
        return Err(Unreadable);
    }
    let def = *leaves.defs(first).get(start).ok_or(Unreadable)?;
    if def < n.def {
        return Ok(Value::Null);
    }
    match n.kind {
        Kind::Bool | Kind::Int | Kind::Str => {
            let column = leaves.columns[first].as_ref().ok_or(Unreadable)?;
            let index = *leaves.value_index[first].get(start).ok_or(Unreadable)? as usize;
            match (n.kind, column.values.get(index).ok_or(Unreadable)?) {
                (Kind::Bool, Raw::Bool(b)) => Ok(Value::Bool(*b)),
                (Kind::Int, Raw::Int(i)) => Ok(Value::Int(*i)),
                (Kind::Str, Raw::Bytes(b)) => Ok(Value::Str(
                    String::from_utf8(b.clone()).map_err(|_| Unreadable)?,
                )),
                _ => Err(Unreadable),
            }
        }
        Kind::Struct => {
            let mut fields = Vec::with_capacity(n.children.len());
            for child in &n.children {
                let c = &tree.nodes[*child];
                let sub = &ranges[c.leaves.start - first..c.leaves.end - first];
                fields.push((Arc::clone(&c.name), build(tree, leaves, *child, sub)?));
            }
            Ok(Value::Struct(fields))
        }
        Kind::List | Kind::Map => {
            let repeated = *n.children.first().ok_or(Unreadable)?;
            let r = &tree.nodes[repeated];
            if def < r.def {
                return Ok(if n.kind == Kind::List {
                    Value::List(Vec::new())
                } else {
                    Value::Map(Vec::new())
                });
            }
            // Split every leaf's entries into one range per repetition of the group.
            let mut per_leaf: Vec<Vec<(usize, usize)>> = Vec::with_capacity(ranges.len());
            for (offset, (s, e)) in ranges.iter().enumerate() {
                let reps = leaves.reps(first + offset);
                let mut parts = Vec::new();
                let mut part_start = *s;
                for i in s + 1..*e {
                    if *reps.get(i).ok_or(Unreadable)? <= r.rep {
                        parts.push((part_start, i));
                        part_start = i;
                    }
                }
                parts.push((part_start, *e));
                per_leaf.push(parts);
            }
            let count = per_leaf.first().map_or(0, Vec::len);
            if per_leaf.iter().any(|p| p.len() != count) {
                return Err(Unreadable);
            }
            let part = |k: usize, child: usize| -> Ranges {
                let c = &tree.nodes[child];
                (c.leaves.start..c.leaves.end)
                    .map(|leaf| per_leaf[leaf - first][k])
                    .collect()
            };
            if n.kind == Kind::List {
                let element = *r.children.first().ok_or(Unreadable)?;
                let mut items = Vec::with_capacity(count);
                for k in 0..count {
                    items.push(build(tree, leaves, element, &part(k, element))?);
                }
                Ok(Value::List(items))
            } else {
                let (&key, &value) = match r.children.as_slice() {
                    [k, v] => (k, v),
                    _ => return Err(Unreadable),
                };
                let mut entries = Vec::with_capacity(count);
                for k in 0..count {
                    entries.push((
                        build(tree, leaves, key, &part(k, key))?,
                        build(tree, leaves, value, &part(k, value))?,
                    ));
                }
                Ok(Value::Map(entries))
            }
        }
        Kind::Unsupported => Err(Unreadable),
    }
}

/// The rows of the Parquet file `bytes` reduced to `projection` (not `All`): what DuckDB's
/// projected query returns for it, or `Err(Unreadable)` when this reader cannot tell.
pub fn read_projected(
    bytes: &[u8],
    projection: Projection,
    decompressor: &mut Decompressor,
) -> Res<Vec<ParquetRow>> {
    if projection == Projection::All {
        return Err(Unreadable);
    }
    let meta = file_meta(bytes)?;
    let tree = tree(&meta.schema)?;
    let shape: Vec<(String, u64)> = meta
        .schema
        .iter()
        .map(|e| (e.name.clone(), e.num_children as u64))
        .collect();
    let Some(projected) = projected_select(projection, &schema_paths(&shape)) else {
        return Ok(Vec::new());
    };
    // The node of each target, and the top-level node whose presence keeps a row.
    let mut nodes = Vec::with_capacity(projected.targets.len());
    let mut keeps = Vec::new();
    let mut needed = vec![false; tree.leaves.len()];
    // Leaves whose values are read (not only their levels).
    let mut valued = vec![false; tree.leaves.len()];
    for target in &projected.targets {
        let (path, whole) = match target {
            Target::Column(c) => (c.clone(), true),
            Target::Present(c) => (c.clone(), false),
            Target::Field(c, f) => (format!("{c}.{f}"), true),
        };
        let node = find(&tree, &path).ok_or(Unreadable)?;
        let n = &tree.nodes[node];
        if whole {
            if !supported(&tree, node) {
                return Err(Unreadable);
            }
            needed[n.leaves.clone()].iter_mut().for_each(|x| *x = true);
            valued[n.leaves.clone()].iter_mut().for_each(|x| *x = true);
        } else {
            // Presence needs one leaf of the struct: its first.
            if n.kind != Kind::Struct || n.leaves.is_empty() {
                return Err(Unreadable);
            }
            needed[n.leaves.start] = true;
        }
        if !matches!(target, Target::Field(..)) {
            keeps.push(node);
        }
        nodes.push(node);
    }
    // Every needed leaf of every row group, concatenated.
    let mut columns: Vec<Option<Column>> = (0..tree.leaves.len()).map(|_| None).collect();
    for row_group in &meta.row_groups {
        if row_group.len() != tree.leaves.len() {
            return Err(Unreadable);
        }
        for (leaf, chunk) in row_group.iter().enumerate() {
            if !needed[leaf] {
                continue;
            }
            let node = &tree.nodes[tree.leaves[leaf]];
            let element = &meta.schema[tree.leaves[leaf]];
            let expected = element_path(&tree, tree.leaves[leaf]);
            if chunk.path != expected || element.physical != Some(chunk.physical) {
                return Err(Unreadable);
            }
            let column = read_chunk(bytes, chunk, node.def, node.rep, decompressor)?;
            match &mut columns[leaf] {
                Some(all) => {
                    all.defs.extend(column.defs);
                    all.reps.extend(column.reps);
                    all.values.extend(column.values);
                }
                slot => *slot = Some(column),
            }
        }
    }
    let value_index: Vec<Vec<u32>> = columns
        .iter()
        .enumerate()
        .map(|(leaf, column)| {
            let Some(column) = column.as_ref().filter(|_| valued[leaf]) else {
                return Vec::new();
            };
            let max = tree.nodes[tree.leaves[leaf]].def;
            let mut seen = 0u32;
            column
                .defs
                .iter()
                .map(|d| {
                    let index = seen;
                    seen = seen.saturating_add(u32::from(*d == max));
                    index
                })
                .collect()
        })
        .collect();
    let leaves = Leaves {
        columns,
        value_index,
    };
    // Row boundaries of every needed repeated leaf (entries with repetition level 0); a leaf
    // outside repeated groups has one entry per row.
    let mut starts: Vec<Option<Vec<usize>>> = vec![None; tree.leaves.len()];
    let mut rows = None;
    for (leaf, column) in leaves.columns.iter().enumerate() {
        let Some(column) = column else { continue };
        let count = if tree.nodes[tree.leaves[leaf]].rep == 0 {
            column.defs.len()
        } else {
            let s: Vec<usize> = (0..column.reps.len())
                .filter(|i| column.reps[*i] == 0)
                .collect();
            if s.first().is_some_and(|f| *f != 0) {
                return Err(Unreadable);
            }
            let count = s.len();
            starts[leaf] = Some(s);
            count
        };
        match rows {
            None => rows = Some(count),
            Some(n) if n != count => return Err(Unreadable),
            Some(_) => {}
        }
    }
    let rows = rows.unwrap_or(0);
    let range = |leaf: usize, row: usize| -> (usize, usize) {
        match &starts[leaf] {
            None => (row, row + 1),
            Some(s) => {
                let end = s.get(row + 1).copied().unwrap_or(leaves.reps(leaf).len());
                (s[row], end)
            }
        }
    };
    let mut result = Vec::new();
    for row in 0..rows {
        let present = |node: usize| -> bool {
            let n = &tree.nodes[node];
            let (start, _) = range(n.leaves.start, row);
            leaves.defs(n.leaves.start)[start] >= n.def
        };
        if !keeps.iter().any(|n| present(*n)) {
            continue;
        }
        let mut values = Vec::with_capacity(nodes.len());
        for (target, node) in projected.targets.iter().zip(&nodes) {
            let n = &tree.nodes[*node];
            let value = match target {
                Target::Present(_) => Value::Bool(present(*node)),
                _ => {
                    let ranges: Ranges = n.leaves.clone().map(|leaf| range(leaf, row)).collect();
                    build(&tree, &leaves, *node, &ranges)?
                }
            };
            values.push(value);
        }
        result.push(values);
    }
    Ok(rows_of(result, &projected.targets))
}

/// The column path of the leaf `node` (names below the root).
fn element_path(tree: &Tree, node: usize) -> Vec<String> {
    // Walk down from the root along the children that contain the node.
    let mut path = Vec::new();
    let mut at = 0;
    while at != node {
        let Some(next) = tree.nodes[at]
            .children
            .iter()
            .find(|c| *c <= &node && tree.nodes[**c].leaves.contains(&leaf_of(tree, node)))
        else {
            break;
        };
        path.push(tree.nodes[*next].name.to_string());
        at = *next;
    }
    path
}

fn leaf_of(tree: &Tree, node: usize) -> usize {
    tree.nodes[node].leaves.start
}
