// Realistic PostgreSQL benchmark data, generated inside the server (INSERT ... SELECT generate_series) so that
// ~1 GiB takes a minute or two: customers, orders and events with text, numeric, timestamp, inet, array and
// jsonb columns, primary keys, secondary indexes and a foreign key. Deterministic: each INSERT starts from
// setseed() and rows are generated in id order.

const WORDS = (
  'the of and to in is was for on that with as by at from it an were are which this be or has had not but they ' +
  'their been one all would there what so up out if about who get can when make like time no just him know take ' +
  'people into year your good some could them see other than then now look only come its over think also back ' +
  'after use two how our work first well way even new want because any these give day most us order customer ' +
  'shipped delivery invoice payment refund account billing address warehouse package tracking carrier priority ' +
  'standard express pending failed retry confirmed cancelled returned damaged item product quantity price ' +
  'discount coupon tax total subtotal currency region country city street postal code phone email contact ' +
  'support ticket issue resolved escalated agent note comment review rating stars quality fast slow late early ' +
  'great poor excellent broken missing wrong size color blue red green black white large small medium cotton ' +
  'leather steel wooden glass plastic kitchen garden office outdoor sports travel kids pet'
).split(' ');
const FIRST = (
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph ' +
  'jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra ' +
  'ana lucas sofia mateo emma noah mia leon hanna yuki sven ingrid pierre chloe marco giulia omar fatima wei li'
).split(' ');
const LAST = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson ' +
  'anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis ' +
  'mueller schmidt schneider fischer weber meyer wagner becker tanaka suzuki sato kim park chen wang zhang'
).split(' ');
const CITIES = (
  'berlin paris london madrid rome vienna zurich oslo stockholm helsinki dublin lisbon prague warsaw ' +
  'budapest athens tokyo osaka seoul boston chicago denver austin seattle toronto montreal sydney'
).split(' ');

const arr = (xs) => `'{${xs.join(',')}}'::text[]`;
/** SQL picking one element of array `a` (length n) at random. */
const pick = (a, n) => `${a}[1 + floor(random() * ${n})::int]`;
/** SQL for k random words. */
const words = (k) => Array.from({ length: k }, () => pick('c.w', WORDS.length)).join(` || ' ' || `);

/** The constant arrays, joined once into every generating SELECT. */
const CONSTS = `(SELECT ${arr(WORDS)} AS w, ${arr(FIRST)} AS f, ${arr(LAST)} AS l, ${arr(CITIES)} AS ci,
  '{pending,paid,shipped,delivered,cancelled,refunded,returned,on_hold}'::text[] AS st,
  '{EUR,USD,GBP,JPY,CHF,SEK}'::text[] AS cur,
  '{page_view,add_to_cart,checkout,login,logout,search,click,purchase}'::text[] AS ev,
  '{"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0","Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1","curl/8.5.0","Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0"}'::text[] AS ua,
  '{free,basic,pro,enterprise}'::text[] AS tier,
  '{de,fr,gb,es,it,at,ch,no,se,fi,ie,pt,cz,pl,hu,gr,jp,kr,us,ca,au}'::text[] AS cc) c`;

export const SCHEMA = `
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  country text NOT NULL,
  city text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  balance numeric(12,2) NOT NULL DEFAULT 0,
  tier text NOT NULL,
  tags text[],
  profile jsonb
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  status text NOT NULL,
  currency char(3) NOT NULL,
  total numeric(12,2) NOT NULL,
  discount numeric(5,2),
  created_at timestamptz NOT NULL,
  shipped_at timestamptz,
  items jsonb NOT NULL,
  note text
);
CREATE TABLE events (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  kind text NOT NULL,
  at timestamptz NOT NULL,
  ip inet,
  user_agent text,
  duration_ms integer,
  score double precision,
  payload jsonb NOT NULL
);
CREATE SEQUENCE order_numbers;
CREATE VIEW recent_orders AS SELECT o.id, o.status, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id
  WHERE o.created_at > timestamptz '2025-06-01';
`;

/** Row counts for a scale (events rows): customers 1/10, orders 4/10. */
export const rowCounts = (scale) => ({
  customers: Math.max(1000, Math.round(scale / 10)),
  orders: Math.round(scale * 0.4),
  events: scale,
});

export function insertSql(table, from, to, counts) {
  const nc = counts.customers;
  if (table === 'customers')
    return `INSERT INTO customers
SELECT g, initcap(${pick('c.f', FIRST.length)}) || ' ' || initcap(${pick('c.l', LAST.length)}),
  ${pick('c.f', FIRST.length)} || '.' || ${pick('c.l', LAST.length)} || g || '@' || (ARRAY['example.com','mail.example.org','shop.test','acme.io'])[1 + g % 4],
  ${pick('c.cc', 21)}, ${pick('c.ci', CITIES.length)},
  timestamptz '2019-01-01' + g * interval '37 seconds' + random() * interval '1 hour',
  timestamptz '2024-01-01' + random() * interval '700 days',
  round((random() * 5000 - 500)::numeric, 2), ${pick('c.tier', 4)},
  ARRAY[${pick('c.w', WORDS.length)}, ${pick('c.w', WORDS.length)}],
  jsonb_build_object('newsletter', random() < 0.3, 'lang', ${pick('c.cc', 21)}, 'phone', '+' || (1000000000 + floor(random() * 8999999999))::bigint,
    'address', jsonb_build_object('street', initcap(${pick('c.w', WORDS.length)}) || ' street ' || (1 + g % 250), 'postal', lpad((g % 99999)::text, 5, '0')),
    'bio', ${words(8)})
FROM generate_series(${from}, ${to}) g, ${CONSTS}`;
  if (table === 'orders')
    return `INSERT INTO orders
SELECT g, 1 + floor(random() * ${nc})::bigint, ${pick('c.st', 8)}, ${pick('c.cur', 6)},
  round((random() * 900 + 5)::numeric, 2), CASE WHEN random() < 0.2 THEN round((random() * 30)::numeric, 2) END,
  timestamptz '2020-01-01' + g * interval '11 seconds',
  CASE WHEN random() < 0.7 THEN timestamptz '2020-01-02' + g * interval '11 seconds' + random() * interval '5 days' END,
  jsonb_build_array(
    jsonb_build_object('sku', 'SKU-' || lpad(floor(random() * 100000)::text, 6, '0'), 'qty', 1 + floor(random() * 5)::int, 'price', round((random() * 200)::numeric, 2), 'title', ${words(3)}),
    jsonb_build_object('sku', 'SKU-' || lpad(floor(random() * 100000)::text, 6, '0'), 'qty', 1 + floor(random() * 5)::int, 'price', round((random() * 200)::numeric, 2), 'title', ${words(3)})),
  CASE WHEN random() < 0.5 THEN ${words(10)} END
FROM generate_series(${from}, ${to}) g, ${CONSTS}`;
  return `INSERT INTO events
SELECT g, 1 + floor(random() * ${nc})::bigint, ${pick('c.ev', 8)},
  timestamptz '2024-01-01' + g * interval '3 seconds' + random() * interval '2 seconds',
  ('10.' || (g % 256) || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet,
  ${pick('c.ua', 4)}, floor(random() * 5000)::int, random(),
  jsonb_build_object('path', '/' || ${pick('c.w', WORDS.length)} || '/' || ${pick('c.w', WORDS.length)}, 'ref', ${pick('c.w', WORDS.length)},
    'session', md5(g::text), 'query', ${words(4)}, 'items', floor(random() * 10)::int, 'ok', random() < 0.95)
FROM generate_series(${from}, ${to}) g, ${CONSTS}`;
}

export const INDEXES = [
  'CREATE UNIQUE INDEX customers_email_idx ON customers (email)',
  'CREATE INDEX orders_customer_idx ON orders (customer_id)',
  'CREATE INDEX orders_created_idx ON orders (created_at)',
  'CREATE INDEX events_at_idx ON events (at)',
  'CREATE INDEX events_customer_idx ON events (customer_id, at)',
];
export const CONSTRAINTS = [
  'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)',
];

/** The updated rows of the "1% of rows" variants: contiguous (the newest 1% of ids) or spread (1 row in 100, hashed). */
export function updateSql(table, variant, count, round) {
  const where =
    variant === 'contiguous' ? `id > ${count - Math.round(count / 100)}` : `abs(hashint8(id * 7 + ${round})) % 100 = 0`;
  if (table === 'customers')
    return `UPDATE customers SET balance = balance + 1.25, updated_at = timestamptz '2026-01-01' + interval '${round} hours', tier = 'pro' WHERE ${where}`;
  if (table === 'orders')
    return `UPDATE orders SET status = 'refunded', note = coalesce(note, '') || ' refund ${round} approved' WHERE ${where}`;
  return `UPDATE events SET payload = payload || jsonb_build_object('reviewed', ${round}), score = score / 2 WHERE ${where}`;
}
