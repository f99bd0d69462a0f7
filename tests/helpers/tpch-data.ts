/**
 * A small, deterministic TPC-H data set for conformance tests (DuckDB's tpch extension is not
 * available offline). Rows are drawn from a seeded PRNG (mulberry32) in TypeScript, following the
 * shape of dbgen's rules (keys, part suppliers, order/line dates, order status from line status)
 * but skewed so every query's filters hit rows at this size: a tenth of the parts are
 * 'ECONOMY ANODIZED STEEL', brands and containers come from short lists, some orders carry
 * seven heavy lines (q18), customers whose key is divisible by 3 have no orders (q22).
 * Types follow ../shared/corpus/sql/tpch/schema.json: dates are 'YYYY-MM-DD' strings.
 *
 *   tpchTables(seed) → rows per table (pure);  tpchLoadSql(seed) → CREATE + INSERT statements.
 */

import { seededRandom as mulberry32 } from "./rng.js";

export type TpchValue = string | number;
export interface TpchTable {
  readonly name: string;
  /** [column, SQL type] in schema.json order. */
  readonly columns: readonly (readonly [string, string])[];
  readonly rows: readonly (readonly TpchValue[])[];
}

export const TPCH_SIZES = { parts: 400, suppliers: 50, customers: 300, orders: 3000 } as const;

const REGIONS = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"];
const NATIONS: readonly (readonly [string, number])[] = [
  ["ALGERIA", 0], ["ARGENTINA", 1], ["BRAZIL", 1], ["CANADA", 1], ["EGYPT", 4], ["ETHIOPIA", 0], ["FRANCE", 3], ["GERMANY", 3],
  ["INDIA", 2], ["INDONESIA", 2], ["IRAN", 4], ["IRAQ", 4], ["JAPAN", 2], ["JORDAN", 4], ["KENYA", 0], ["MOROCCO", 0],
  ["MOZAMBIQUE", 0], ["PERU", 1], ["CHINA", 2], ["ROMANIA", 3], ["SAUDI ARABIA", 4], ["VIETNAM", 2], ["RUSSIA", 3],
  ["UNITED KINGDOM", 3], ["UNITED STATES", 1],
];
const COLORS = ["forest", "green", "almond", "blue", "chocolate", "drab", "ivory", "khaki", "lemon", "navy", "olive", "puff", "rose", "tan"];
const TYPE1 = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"];
const TYPE2 = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"];
const TYPE3 = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"];
const BRANDS = ["Brand#12", "Brand#23", "Brand#34", "Brand#45", "Brand#11", "Brand#52"];
const CONTAINERS = ["SM CASE", "SM BOX", "SM PACK", "SM PKG", "MED BOX", "MED BAG", "MED PKG", "LG CASE", "LG BOX", "LG PACK", "JUMBO JAR", "WRAP CAN"];
const SIZES = [15, 49, 14, 23, 45, 19, 3, 36, 9, 1, 2, 4, 5, 8, 10];
const SEGMENTS = ["AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"];
const PRIORITIES = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
const INSTRUCT = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
const MODES = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];
const WORDS = ["carefully", "final", "deposits", "sleep", "furiously", "ironic", "packages", "express", "requests", "special", "pending", "accounts"];

const DAY = 86_400_000;
const START = Date.UTC(1992, 0, 1);
const ORDER_DAYS = Math.floor((Date.UTC(1998, 7, 2) - START) / DAY) - 151;
const CURRENT = "1995-06-17";
const iso = (days: number) => new Date(START + days * DAY).toISOString().slice(0, 10);
/** Values with at most two decimals, rounded the way dbgen prints them. */
const money = (x: number) => Math.round(x * 100) / 100;

export function tpchTables(seed = 20240601): TpchTable[] {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const phone = (nation: number) => `${nation + 10}-${int(100, 999)}-${int(100, 999)}-${int(1000, 9999)}`;
  const S = TPCH_SIZES.suppliers;

  const region = REGIONS.map((r, i) => [i, r, text(4)]);
  const nation = NATIONS.map(([n, r], i) => [i, n, r, text(5)]);
  const supplier = Array.from({ length: S }, (_, i) => {
    const k = i + 1;
    const comment = k % 17 === 0 ? `${text(2)} Customer ${text(1)} Complaints ${text(1)}` : text(6);
    return [k, `Supplier#${String(k).padStart(9, "0")}`, text(2), (i * 7) % 25, phone((i * 7) % 25), money(rnd() * 10999.99 - 999.99), comment];
  });
  const part = Array.from({ length: TPCH_SIZES.parts }, (_, i) => {
    const k = i + 1;
    const name = [pick(COLORS), pick(COLORS), pick(COLORS), pick(COLORS), pick(COLORS)].join(" ");
    const type = rnd() < 0.1 ? "ECONOMY ANODIZED STEEL" : `${pick(TYPE1)} ${pick(TYPE2)} ${pick(TYPE3)}`;
    const size = rnd() < 0.6 ? pick(SIZES) : int(1, 50);
    const retail = money(900 + (k % 200) + k / 10);
    return [k, name, `Manufacturer#${int(1, 5)}`, pick(BRANDS), type, size, pick(CONTAINERS), retail, text(3)];
  });
  const suppliersOf = (p: number) => [0, 1, 2, 3].map((j) => ((p + j * 13) % S) + 1);
  const partsupp = part.flatMap(([p]) => suppliersOf(p as number).map((s) => [p, s, int(1, 9999), money(1 + rnd() * 999), text(5)]));
  const customer = Array.from({ length: TPCH_SIZES.customers }, (_, i) => {
    const k = i + 1;
    const n = int(0, 24);
    return [k, `Customer#${String(k).padStart(9, "0")}`, text(2), n, phone(n), money(rnd() * 10999.99 - 999.99), pick(SEGMENTS), text(6)];
  });
  const orders: TpchValue[][] = [];
  const lineitem: TpchValue[][] = [];
  for (let o = 1; o <= TPCH_SIZES.orders; o++) {
    let cust = int(1, TPCH_SIZES.customers);
    while (cust % 3 === 0) cust = int(1, TPCH_SIZES.customers);
    const odate = int(0, ORDER_DAYS);
    const heavy = o % 60 === 0;
    const lines = heavy ? 7 : int(1, 7);
    let total = 0;
    const statuses = new Set<string>();
    for (let l = 1; l <= lines; l++) {
      const p = int(1, TPCH_SIZES.parts);
      const s = suppliersOf(p)[int(0, 3)]!;
      const qty = heavy ? int(44, 50) : int(1, 50);
      const price = money(qty * (part[p - 1]![7] as number));
      const discount = int(0, 10) / 100;
      const tax = int(0, 8) / 100;
      const ship = odate + int(1, 121);
      const commit = odate + int(30, 90);
      const receipt = ship + int(1, 30);
      const shipdate = iso(ship);
      const receiptdate = iso(receipt);
      const returnflag = receiptdate <= CURRENT ? (rnd() < 0.5 ? "R" : "A") : "N";
      const linestatus = shipdate > CURRENT ? "O" : "F";
      statuses.add(linestatus);
      total += price * (1 + tax) * (1 - discount);
      lineitem.push([o, p, s, l, qty, price, discount, tax, returnflag, linestatus, shipdate, iso(commit), receiptdate, pick(INSTRUCT), pick(MODES), text(3)]);
    }
    const status = statuses.size === 2 ? "P" : [...statuses][0]!;
    const comment = o % 9 === 0 ? `${text(1)} special ${text(1)} requests` : text(5);
    orders.push([o, cust, status, money(total), iso(odate), pick(PRIORITIES), `Clerk#${String(int(1, 100)).padStart(9, "0")}`, 0, comment]);
  }

  const t = (name: string, columns: [string, string][], rows: TpchValue[][]): TpchTable => ({ name, columns, rows });
  return [
    t("region", [["r_regionkey", "BIGINT"], ["r_name", "VARCHAR"], ["r_comment", "VARCHAR"]], region as TpchValue[][]),
    t("nation", [["n_nationkey", "BIGINT"], ["n_name", "VARCHAR"], ["n_regionkey", "BIGINT"], ["n_comment", "VARCHAR"]], nation as TpchValue[][]),
    t("supplier", [["s_suppkey", "BIGINT"], ["s_name", "VARCHAR"], ["s_address", "VARCHAR"], ["s_nationkey", "BIGINT"], ["s_phone", "VARCHAR"], ["s_acctbal", "DOUBLE"], ["s_comment", "VARCHAR"]], supplier),
    t("part", [["p_partkey", "BIGINT"], ["p_name", "VARCHAR"], ["p_mfgr", "VARCHAR"], ["p_brand", "VARCHAR"], ["p_type", "VARCHAR"], ["p_size", "INTEGER"], ["p_container", "VARCHAR"], ["p_retailprice", "DOUBLE"], ["p_comment", "VARCHAR"]], part),
    t("partsupp", [["ps_partkey", "BIGINT"], ["ps_suppkey", "BIGINT"], ["ps_availqty", "INTEGER"], ["ps_supplycost", "DOUBLE"], ["ps_comment", "VARCHAR"]], partsupp as TpchValue[][]),
    t("customer", [["c_custkey", "BIGINT"], ["c_name", "VARCHAR"], ["c_address", "VARCHAR"], ["c_nationkey", "BIGINT"], ["c_phone", "VARCHAR"], ["c_acctbal", "DOUBLE"], ["c_mktsegment", "VARCHAR"], ["c_comment", "VARCHAR"]], customer as TpchValue[][]),
    t("orders", [["o_orderkey", "BIGINT"], ["o_custkey", "BIGINT"], ["o_orderstatus", "VARCHAR"], ["o_totalprice", "DOUBLE"], ["o_orderdate", "VARCHAR"], ["o_orderpriority", "VARCHAR"], ["o_clerk", "VARCHAR"], ["o_shippriority", "INTEGER"], ["o_comment", "VARCHAR"]], orders),
    t("lineitem", [["l_orderkey", "BIGINT"], ["l_partkey", "BIGINT"], ["l_suppkey", "BIGINT"], ["l_linenumber", "BIGINT"], ["l_quantity", "DOUBLE"], ["l_extendedprice", "DOUBLE"], ["l_discount", "DOUBLE"], ["l_tax", "DOUBLE"], ["l_returnflag", "VARCHAR"], ["l_linestatus", "VARCHAR"], ["l_shipdate", "VARCHAR"], ["l_commitdate", "VARCHAR"], ["l_receiptdate", "VARCHAR"], ["l_shipinstruct", "VARCHAR"], ["l_shipmode", "VARCHAR"], ["l_comment", "VARCHAR"]], lineitem),
  ];
}

const literal = (v: TpchValue) => (typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** CREATE TABLE + INSERT statements (1000 rows per INSERT) that load `tpchTables(seed)`. */
export function tpchLoadSql(seed?: number): string[] {
  return tpchTables(seed).flatMap((t) => {
    const out = [`CREATE TABLE ${t.name} (${t.columns.map(([c, ty]) => `${c} ${ty}`).join(", ")})`];
    for (let i = 0; i < t.rows.length; i += 1000) {
      out.push(`INSERT INTO ${t.name} VALUES ${t.rows.slice(i, i + 1000).map((r) => `(${r.map(literal).join(", ")})`).join(", ")}`);
    }
    return out;
  });
}
