export * from "./codes.js";
export * from "./diagnostic.js";
export * from "./source-text.js";
export * from "./render-text.js";
export * from "./suggest.js";
export * from "./display-path.js";
