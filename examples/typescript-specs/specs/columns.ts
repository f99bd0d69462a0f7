// Shared column definitions: plain TypeScript reused by several spec files.
export const span = {
  name: "span",
  type: "struct<bstart: int64, bend: int64, line: int32, col: int32>",
  semantic: "Span",
  description: "Byte offsets and line/column of the node's source.",
} as const;

export const fileId = { name: "file_id", type: "utf8", nullable: false, semantic: "FileId" } as const;
