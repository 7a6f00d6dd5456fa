// Deterministic, realistic, compressible test data for the benchmarks: text that looks like a PostgreSQL plain
// dump (COPY blocks of several tables: ids, timestamps, money, enums, emails, free text, JSON payloads, UUIDs).
// zstd -3 compresses it roughly 3-5x: far from zeros, far from random.
//
//   node bench/gen-dump.mjs BYTES [SEED] > file     (BYTES accepts 1GiB, 256MiB, 4096, ...)
//
// The same (BYTES, SEED) always yields the same bytes.

const WORDS = (
  'the of and to in is was for on that with as by at from his her it an were are which this be or has had ' +
  'not but they their been one all would there what so up out if about who get can when make like time no ' +
  'just him know take people into year your good some could them see other than then now look only come its ' +
  'over think also back after use two how our work first well way even new want because any these give day ' +
  'most us order customer shipped delivery invoice payment refund account billing address warehouse package ' +
  'tracking carrier priority standard express pending failed retry confirmed cancelled returned damaged item ' +
  'product quantity price discount coupon tax total subtotal currency region country city street postal code ' +
  'phone email contact support ticket issue resolved escalated agent note comment review rating stars quality ' +
  'fast slow late early great poor excellent broken missing wrong size color blue red green black white large ' +
  'small medium cotton leather steel wooden glass plastic kitchen garden office outdoor sports travel kids pet ' +
  'graph node edge vector embedding index query latency backup restore snapshot replica primary cluster shard ' +
  'memory disk network timeout connection session token user admin role permission audit event metric alert'
).split(' ');
const FIRST = (
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph ' +
  'jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra ' +
  'donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian melissa ' +
  'george deborah timothy stephanie ronald rebecca edward sharon jason laura jeffrey cynthia ryan kathleen jacob amy ' +
  'ana lucas sofia mateo emma noah mia leon hanna yuki sven ingrid pierre chloe marco giulia omar fatima wei li'
).split(' ');
const LAST = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson ' +
  'anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson ' +
  'walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell ' +
  'mitchell carter roberts mueller schmidt schneider fischer weber meyer wagner becker schulz rossi russo ferrari ' +
  'tanaka suzuki sato kim park chen wang zhang dubois moreau laurent silva santos oliveira kowalski nowak novak'
).split(' ');
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'shop.test', 'users.invalid', 'acme.io'];
const STATUS = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded', 'returned', 'on_hold'];
const CURRENCY = ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK'];
const EVENTS = ['page_view', 'add_to_cart', 'checkout', 'login', 'logout', 'search', 'click', 'purchase'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)', 'curl/8.5.0'];

/** Accepts 123, 4096B, 256KiB, 64MiB, 1GiB, 1.5GiB, 2G (binary units). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size ${JSON.stringify(text)}: use e.g. 256MiB, 1GiB, 4GiB`);
  const mult = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * mult);
}

/** Yields `total` bytes of dump text in ~1 MiB Buffers. */
export function* dumpStream(total, seed = 1) {
  // mulberry32: fast, deterministic, good enough for test data.
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  // Skewed pick (popular words / customers come up more often), like real data.
  const zipf = (a) => a[Math.floor(a.length * rnd() * rnd())];
  const words = (n) => {
    let out = zipf(WORDS);
    for (let i = 1; i < n; i++) out += ` ${zipf(WORDS)}`;
    return out;
  };
  const hex8 = () => ((rnd() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  const uuid = () => {
    const a = hex8();
    const b = hex8();
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${hex8().slice(0, 4)}-${hex8().slice(0, 4)}${hex8()}`;
  };
  const pad = (n) => (n < 10 ? `0${n}` : `${n}`);
  let clock = Date.UTC(2023, 0, 1) / 1000;
  let day = -1;
  let dayText = '';
  const ts = () => {
    clock += int(40);
    const d = Math.floor(clock / 86400);
    if (d !== day) {
      day = d;
      dayText = new Date(d * 86400000).toISOString().slice(0, 10);
    }
    const sec = clock - d * 86400;
    const us = int(1e6);
    return `${dayText} ${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}.${us < 100000 ? String(us).padStart(6, '0') : us}+00`;
  };
  const person = () => {
    const f = zipf(FIRST);
    const l = zipf(LAST);
    return [f, l, `${f}.${l}${int(100)}@${pick(DOMAINS)}`];
  };

  const tables = [
    {
      head: 'COPY public.customers (id, first_name, last_name, email, phone, city, created_at, notes) FROM stdin;\n',
      id: 0,
      row(id) {
        const [f, l, e] = person();
        return `${id}\t${f}\t${l}\t${e}\t+${1 + int(98)} ${100 + int(900)} ${1000000 + int(9000000)}\t${pick(LAST)}ville\t${ts()}\t${rnd() < 0.3 ? '\\N' : words(3 + int(12))}\n`;
      },
    },
    {
      head: 'COPY public.orders (id, customer_id, status, currency, amount, items, created_at, shipping_address) FROM stdin;\n',
      id: 0,
      row(id) {
        return `${id}\t${1 + int(500000)}\t${zipf(STATUS)}\t${zipf(CURRENCY)}\t${(int(5000000) / 100).toFixed(2)}\t${1 + int(12)}\t${ts()}\t${1 + int(9999)} ${pick(LAST)} street, ${10000 + int(89999)} ${pick(LAST)}ville\n`;
      },
    },
    {
      head: 'COPY public.events (id, session_id, kind, occurred_at, payload) FROM stdin;\n',
      id: 0,
      row(id) {
        // The JSON text of {user, path, ms, ok, agent, tags}, built directly (JSON.stringify is slower).
        const payload =
          `{"user":${1 + int(500000)},"path":"/${zipf(WORDS)}/${zipf(WORDS)}/${int(10000)}","ms":${int(2000)},` +
          `"ok":${rnd() < 0.95},"agent":"${pick(AGENTS)}","tags":["${zipf(WORDS)}","${zipf(WORDS)}"]}`;
        return `${id}\t${uuid()}\t${zipf(EVENTS)}\t${ts()}\t${payload}\n`;
      },
    },
    {
      head: 'COPY public.reviews (id, product_id, rating, title, body, created_at) FROM stdin;\n',
      id: 0,
      row(id) {
        return `${id}\t${1 + int(20000)}\t${1 + int(5)}\t${words(2 + int(5))}\t${words(10 + int(50))}\t${ts()}\n`;
      },
    },
  ];

  const BLOCK = 1 << 20;
  let produced = 0;
  let table = null;
  let rowsLeft = 0;
  let pending = "-- PostgreSQL database dump (backdrill benchmark data)\n\nSET client_encoding = 'UTF8';\n\n";
  while (produced < total) {
    // Rows are written straight into the block (no long string concatenation: that is slower and churns GC).
    const buf = Buffer.allocUnsafeSlow(BLOCK);
    let off = 0;
    for (;;) {
      const room = BLOCK - off;
      if (pending.length > room) {
        buf.latin1Write(pending.slice(0, room), off);
        pending = pending.slice(room);
        break;
      }
      off += buf.latin1Write(pending, off);
      pending = '';
      if (rowsLeft === 0) {
        if (table) pending += '\\.\n\n';
        table = tables[int(tables.length)];
        pending += table.head;
        rowsLeft = 2000 + int(20000);
      }
      pending += table.row(++table.id);
      rowsLeft--;
    }
    const out = produced + BLOCK > total ? buf.subarray(0, total - produced) : buf;
    produced += out.length;
    yield out;
  }
}

// CLI: write the stream to stdout with backpressure.
if (import.meta.url === `file://${process.argv[1]}`) {
  const total = parseSize(process.argv[2] ?? '1GiB');
  const seed = Number(process.argv[3] ?? 1);
  const { stdout } = process;
  stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const it = dumpStream(total, seed);
  const pump = () => {
    for (;;) {
      const { value, done } = it.next();
      if (done) return;
      if (!stdout.write(value)) {
        stdout.once('drain', pump);
        return;
      }
    }
  };
  pump();
}
