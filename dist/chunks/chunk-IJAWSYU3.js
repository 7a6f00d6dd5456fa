import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  esm_default
} from "./chunk-VJUWFMCE.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/stores/postgres/connection.ts
function parsePgUrl(url, store) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new BackdrillError("usage", `store ${store}: the url is not a valid postgresql:// URL`);
  }
  if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
    throw new BackdrillError("usage", `store ${store}: the url must start with postgresql://`);
  }
  const params = {};
  for (const [k, v] of u.searchParams) params[k] = v;
  return {
    host: decodeURIComponent(u.hostname) || "localhost",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || "postgres",
    password: u.password ? decodeURIComponent(u.password) : void 0,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
    params
  };
}
function describeConn(c) {
  return `postgresql://${encodeURIComponent(c.user)}@${c.host}:${c.port}/${encodeURIComponent(c.database)}`;
}
function withDatabase(c, database) {
  return { ...c, database };
}
function clientConfig(c) {
  const sslmode = c.params.sslmode;
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    ...c.password === void 0 ? {} : { password: c.password },
    database: c.database,
    application_name: "backdrill",
    ...sslmode && sslmode !== "disable" ? { ssl: sslmode === "verify-full" ? true : { rejectUnauthorized: false } } : {}
  };
}
function libpqEnv(c) {
  const env = {
    ...process.env,
    PGHOST: c.host,
    PGPORT: String(c.port),
    PGUSER: c.user,
    PGDATABASE: c.database,
    PGAPPNAME: "backdrill",
    // Deterministic client behaviour whatever the caller's environment says.
    PGOPTIONS: "",
    PGTZ: "UTC"
  };
  delete env.PGCLIENTENCODING;
  if (c.password !== void 0) env.PGPASSWORD = c.password;
  else delete env.PGPASSWORD;
  const map = {
    sslmode: "PGSSLMODE",
    sslrootcert: "PGSSLROOTCERT",
    sslcert: "PGSSLCERT",
    sslkey: "PGSSLKEY",
    connect_timeout: "PGCONNECT_TIMEOUT"
  };
  for (const [k, v] of Object.entries(c.params)) if (map[k]) env[map[k]] = v;
  return env;
}
async function connect(c, store) {
  const client = new esm_default.Client({ ...clientConfig(c), connectionTimeoutMillis: 15e3 });
  client.on("error", () => {
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {
    });
    const e = err;
    const why = e.code === "28P01" || e.code === "28000" ? "authentication failed (check the user and password)" : e.code === "3D000" ? `database "${c.database}" does not exist` : e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "ETIMEDOUT" ? `cannot reach the server (${e.code})` : e.message;
    throw new BackdrillError("usage", `store ${store}: cannot connect to ${describeConn(c)}: ${why}`, {
      hint: "check the store url in backdrill.yml and that the server accepts connections from here",
      cause: err
    });
  }
  return client;
}

export {
  parsePgUrl,
  describeConn,
  withDatabase,
  clientConfig,
  libpqEnv,
  connect
};
