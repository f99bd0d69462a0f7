/** The files `cpgc init` writes: a small project that validates (and later plans and applies) as is. */
export function initTemplate(project: string): Record<string, string> {
  return {
    "cpg.config.yaml": `# yaml-language-server: $schema=./schemas/config.schema.json
version: 1
project: ${project}
specs:
  - specs/**/*.yaml
lake:
  root: .cpg/lake
engine:
  threads: 2
  memory_limit: 2GB
policy:
  dialect: duckdb
defaults:
  delta_policy: default
variables:
  min_size: 0
`,
    "specs/policies.yaml": `# yaml-language-server: $schema=../schemas/spec.schema.json
kind: DeltaPolicy
name: default
description: Baseline layout and maintenance for every table.
write:
  target_file_size: 64MiB
  stats_policy: auto
  writer:
    compression: zstd
    compression_level: 3
schema:
  mode: merge
maintenance:
  checkpoint_interval: 10
  log_retention: 30 days
  vacuum_retention: 7 days
`,
    "specs/files.yaml": `# yaml-language-server: $schema=../schemas/spec.schema.json
kind: Dataset
name: files
description: One row per source file.
source:
  ndjson: data/files.ndjson
schema:
  columns:
    - { name: file_id, type: utf8, nullable: false, semantic: FileId }
    - { name: path, type: utf8, nullable: false, semantic: Path }
    - { name: size_bytes, type: int64 }
    - { name: language, type: utf8 }
  primary_key: [file_id]
delta:
  write:
    stats_columns: [file_id, path]
`,
    "specs/views.yaml": `# yaml-language-server: $schema=../schemas/spec.schema.json
kind: View
name: files_by_language
description: File counts and sizes per language.
materialize: table
sql: |
  select
    language,
    count(*) as n_files,
    sum(size_bytes) as total_bytes
  from
    files
  where
    size_bytes >= {{ min_size }}
  group by
    language
expectations:
  - not_null: [n_files]
`,
    "data/files.ndjson": [
      { file_id: "f1", path: "pkg/__init__.py", size_bytes: 120, language: "python" },
      { file_id: "f2", path: "pkg/core.py", size_bytes: 4096, language: "python" },
      { file_id: "f3", path: "README.md", size_bytes: 800, language: "markdown" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n")
      .concat("\n"),
    ".vscode/settings.json": `${JSON.stringify(
      {
        "yaml.schemas": {
          "./schemas/config.schema.json": ["cpg.config.yaml"],
          "./schemas/spec.schema.json": ["specs/**/*.yaml", "specs/**/*.yml"],
        },
        "yaml.validate": true,
        "yaml.completion": true,
        "yaml.hover": true,
      },
      null,
      2,
    )}\n`,
    ".vscode/extensions.json": `${JSON.stringify({ recommendations: ["redhat.vscode-yaml"] }, null, 2)}\n`,
    ".gitignore": ".cpg/\n",
  };
}
