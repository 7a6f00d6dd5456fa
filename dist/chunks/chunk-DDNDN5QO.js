import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  require_lib
} from "./chunk-FUUBDGB3.js";
import {
  redactUrl
} from "./chunk-DRSBD567.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/stores/neo4j/connection.ts
var import_neo4j_driver = __toESM(require_lib(), 1);
function parseNeo4jUrl(url, store, fallback) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new BackdrillError("usage", `store ${store}: "${redactUrl(url)}" is not a valid bolt:// or neo4j:// URL`);
  }
  if (!/^(bolt|neo4j)(\+s|\+ssc)?:$/.test(u.protocol)) {
    throw new BackdrillError(
      "usage",
      `store ${store}: the url must start with bolt://, neo4j://, bolt+s:// or neo4j+s://`
    );
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+/, ""));
  return {
    conn: {
      url: `${u.protocol}//${u.host}${u.search}`,
      user: u.username ? decodeURIComponent(u.username) : fallback.user,
      password: u.password ? decodeURIComponent(u.password) : fallback.password
    },
    database: path || void 0
  };
}
function describeConn(c) {
  return `${c.url} (user ${c.user})`;
}
function openDriver(c) {
  return import_neo4j_driver.default.driver(c.url, import_neo4j_driver.default.auth.basic(c.user, c.password ?? ""), {
    useBigInt: true,
    connectionTimeout: 15e3,
    connectionAcquisitionTimeout: 6e4,
    maxTransactionRetryTime: 3e4,
    userAgent: "backdrill",
    // Deprecation notices about our own queries are noise for the user.
    notificationFilter: { minimumSeverityLevel: "OFF" }
  });
}
function errorCode(err) {
  return err instanceof import_neo4j_driver.Neo4jError ? err.code : "";
}
function connectionProblem(err, store, c, database) {
  const code = errorCode(err);
  const where = `store ${store}: ${describeConn(c)}`;
  const cause = { cause: err };
  if (code === "ServiceUnavailable" || code === "SessionExpired") {
    return new BackdrillError("usage", `${where}: cannot reach the server (${firstLine(err)})`, {
      hint: "check the url (host, port, scheme: neo4j+s:// for Aura) and that the server accepts Bolt connections from here",
      ...cause
    });
  }
  if (code === "Neo.ClientError.Security.Unauthorized" || code === "Neo.ClientError.Security.AuthenticationRateLimit") {
    return new BackdrillError("usage", `${where}: authentication failed (${firstLine(err)})`, {
      hint: "check user and password in backdrill.yml, and that the environment variable the password comes from is set",
      ...cause
    });
  }
  if (code === "Neo.ClientError.Security.CredentialsExpired") {
    return new BackdrillError("usage", `${where}: the password has expired and must be changed first`, {
      hint: "log in once with cypher-shell or the browser and set a new password",
      ...cause
    });
  }
  if (code === "Neo.ClientError.Database.DatabaseNotFound") {
    return new BackdrillError("usage", `${where}: database ${database ?? "(unknown)"} does not exist`, {
      hint: "list the databases with SHOW DATABASES and fix databases: in backdrill.yml (or the --target path)",
      ...cause
    });
  }
  return void 0;
}
function firstLine(err) {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0].slice(0, 300);
}
async function connect(c, store) {
  const driver = openDriver(c);
  try {
    await driver.getServerInfo();
    return driver;
  } catch (err) {
    await driver.close().catch(() => {
    });
    throw connectionProblem(err, store, c) ?? err;
  }
}
async function explained(store, c, database, fn) {
  try {
    return await fn();
  } catch (err) {
    throw connectionProblem(err, store, c, database) ?? err;
  }
}

export {
  parseNeo4jUrl,
  describeConn,
  openDriver,
  errorCode,
  connectionProblem,
  connect,
  explained
};
