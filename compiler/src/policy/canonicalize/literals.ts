/**
 * Canonical literal forms, only where DuckDB gives both spellings the same type and value:
 * - integers: digit separators and leading zeros dropped (`007` → `7`: INTEGER/BIGINT/HUGEINT is
 *   decided by the value);
 * - exponent numbers (`1e0`, `1E+2`, `100e0`) are DOUBLE: written as the shortest exponent form
 *   of the double they denote (`1e0`, `1e2`), which both engines read back to the same double;
 * - decimals (`1.0`, `1.00`, `.5`, `00.5`) are kept as written: DuckDB types a decimal literal by
 *   its digits (`1.0` is DECIMAL(2,1), `1.00` DECIMAL(3,2), `.5` DECIMAL(1,1), `00.5`
 *   DECIMAL(3,1)), which shows in result types and arithmetic, so they are different literals;
 * - booleans are nodes already (TRUE/true), strings hold decoded values (escapes resolved).
 */
import { numberLiteral, type NumberLiteral } from "../../sql/index.js";

const INTEGER = /^[0-9][0-9_]*$/;
const EXPONENT = /^(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)[eE][+-]?[0-9]+$/;

export function canonicalNumberText(text: string): string {
  if (INTEGER.test(text)) {
    // most integers are canonical already: no separator, no leading zero
    if (!text.includes("_") && (text.length === 1 || text.charCodeAt(0) !== 0x30)) return text;
    return text.replace(/_/g, "").replace(/^0+(?=\d)/, "");
  }
  if (EXPONENT.test(text)) {
    const value = Number(text.replace(/_/g, ""));
    if (Number.isFinite(value)) return value.toExponential().replace("e+", "e");
  }
  return text;
}

export function canonicalNumber(n: NumberLiteral): NumberLiteral {
  const text = canonicalNumberText(n.value);
  return text === n.value ? n : numberLiteral(text, n.range);
}
