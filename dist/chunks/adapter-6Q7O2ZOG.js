import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  require_undici
} from "./chunk-VFODORNR.js";
import {
  IncompleteRestoreError
} from "./chunk-AWV2AHQ3.js";
import {
  SetHash,
  digestOf
} from "./chunk-Q43U3EN7.js";
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  redactUrl
} from "./chunk-DRSBD567.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/stores/qdrant/api.ts
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import tls from "node:tls";

// node_modules/@qdrant/openapi-typescript-fetch/dist/esm/types.js
var ApiError = class extends Error {
  constructor(response) {
    super(response.statusText);
    Object.setPrototypeOf(this, new.target.prototype);
    this.headers = response.headers;
    this.url = response.url;
    this.status = response.status;
    this.statusText = response.statusText;
    this.data = response.data;
  }
};

// node_modules/@qdrant/openapi-typescript-fetch/dist/esm/fetcher.js
var bigintReviver;
var bigintReplacer;
if ("rawJSON" in JSON) {
  bigintReviver = function(_key, val, context) {
    if (Number.isInteger(val) && !Number.isSafeInteger(val)) {
      try {
        return BigInt(context.source);
      } catch {
        return val;
      }
    }
    return val;
  };
  bigintReplacer = function(_key, val) {
    if (typeof val === "bigint") {
      return JSON.rawJSON(String(val));
    }
    return val;
  };
}
var sendBody = (method) => method === "post" || method === "put" || method === "patch" || method === "delete";
function queryString(params) {
  const qs = [];
  const encode = (key, value) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  Object.keys(params).forEach((key) => {
    const value = params[key];
    if (value != null) {
      if (Array.isArray(value)) {
        value.forEach((value2) => qs.push(encode(key, value2)));
      } else {
        qs.push(encode(key, value));
      }
    }
  });
  if (qs.length > 0) {
    return `?${qs.join("&")}`;
  }
  return "";
}
function getPath(path, payload) {
  return path.replace(/\{([^}]+)\}/g, (_, key) => {
    const value = encodeURIComponent(payload[key]);
    delete payload[key];
    return value;
  });
}
function getQuery(method, payload, query) {
  let queryObj = {};
  if (sendBody(method)) {
    query.forEach((key) => {
      queryObj[key] = payload[key];
      delete payload[key];
    });
  } else {
    queryObj = { ...payload };
  }
  return queryString(queryObj);
}
function getHeaders(body, init) {
  const headers = new Headers(init);
  if (body !== void 0 && !(body instanceof FormData) && !headers.has("Content-Type")) {
    headers.append("Content-Type", "application/json");
  }
  if (!headers.has("Accept")) {
    headers.append("Accept", "application/json");
  }
  return headers;
}
function getBody(method, payload) {
  if (!sendBody(method)) {
    return;
  }
  const body = payload instanceof FormData ? payload : JSON.stringify(payload, bigintReplacer);
  return method === "delete" && body === "{}" ? void 0 : body;
}
function mergeRequestInit(first, second) {
  const headers = new Headers(first?.headers);
  const other = new Headers(second?.headers);
  for (const key of other.keys()) {
    const value = other.get(key);
    if (value != null) {
      headers.set(key, value);
    }
  }
  return { ...first, ...second, headers };
}
function getFetchParams(request) {
  const payload = Object.assign(Array.isArray(request.payload) ? [] : {}, request.payload);
  const path = getPath(request.path, payload);
  const query = getQuery(request.method, payload, request.queryParams);
  const body = getBody(request.method, payload);
  const headers = sendBody(request.method) ? getHeaders(body, request.init?.headers) : new Headers(request.init?.headers);
  const url = request.baseUrl + path + query;
  const init = {
    ...request.init,
    method: request.method.toUpperCase(),
    headers,
    body
  };
  return { url, init };
}
async function getResponseData(response) {
  if (response.status === 204) {
    return;
  }
  const contentType = response.headers.get("content-type");
  const responseText = await response.text();
  if (contentType && contentType.includes("application/json")) {
    return JSON.parse(responseText, bigintReviver);
  }
  try {
    return JSON.parse(responseText, bigintReviver);
  } catch (e) {
    return responseText;
  }
}
async function fetchJson(url, init) {
  const response = await fetch(url, init);
  const data = await getResponseData(response);
  const result = {
    headers: response.headers,
    url: response.url,
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    data
  };
  if (result.ok) {
    return result;
  }
  throw new ApiError(result);
}
function wrapMiddlewares(middlewares, fetch2) {
  const handler = async (index, url, init) => {
    if (middlewares == null || index === middlewares.length) {
      return fetch2(url, init);
    }
    const current = middlewares[index];
    return await current(url, init, (nextUrl, nextInit) => handler(index + 1, nextUrl, nextInit));
  };
  return (url, init) => handler(0, url, init);
}
async function fetchUrl(request) {
  const { url, init } = getFetchParams(request);
  const response = await request.fetch(url, init);
  return response;
}
function createFetch(fetch2) {
  const fun = async (payload, init) => {
    try {
      return await fetch2(payload, init);
    } catch (err) {
      if (err instanceof ApiError) {
        throw new fun.Error(err);
      }
      throw err;
    }
  };
  fun.Error = class extends ApiError {
    constructor(error) {
      super(error);
      Object.setPrototypeOf(this, new.target.prototype);
    }
    getActualType() {
      return {
        status: this.status,
        data: this.data
      };
    }
  };
  return fun;
}
function fetcher() {
  let baseUrl = "";
  let defaultInit = {};
  const middlewares = [];
  const fetch2 = wrapMiddlewares(middlewares, fetchJson);
  return {
    configure: (config) => {
      baseUrl = config.baseUrl || "";
      defaultInit = config.init || {};
      middlewares.splice(0);
      middlewares.push(...config.use || []);
    },
    use: (mw) => middlewares.push(mw),
    path: (path) => ({
      method: (method) => ({
        create: ((queryParams) => createFetch((payload, init) => fetchUrl({
          baseUrl: baseUrl || "",
          path,
          method,
          queryParams: Object.keys(queryParams || {}),
          payload,
          init: mergeRequestInit(defaultInit, init),
          fetch: fetch2
        })))
      })
    })
  };
}
var Fetcher = {
  for: () => fetcher()
};

// node_modules/@qdrant/js-client-rest/dist/esm/dispatcher.js
var import_undici = __toESM(require_undici(), 1);
var createDispatcher = (connections = 25) => (
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return
  new import_undici.Agent({
    // timeouts are handled by AbortSignal in our middleware
    bodyTimeout: 0,
    headersTimeout: 0,
    // https://stackoverflow.com/a/36437932/558180
    // pipelining: 1,
    // a sensible max connections value
    connections,
    // will be overriden by header Keep-Alive, just as sensible default
    keepAliveTimeout: 1e4
  })
);

// node_modules/@qdrant/js-client-rest/dist/esm/errors.js
var MAX_CONTENT = 200;
var CustomError = class extends Error {
  constructor(message2) {
    super(message2);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
};
var QdrantClientUnexpectedResponseError = class _QdrantClientUnexpectedResponseError extends CustomError {
  static forResponse(response) {
    const statusCodeStr = `${response.status}`;
    const reasonPhraseStr = !response.statusText ? "(Unrecognized Status Code)" : `(${response.statusText})`;
    const statusStr = `${statusCodeStr} ${reasonPhraseStr}`.trim();
    const dataStr = response.data ? JSON.stringify(response.data, null, 2) : null;
    let shortContent = "";
    if (dataStr) {
      shortContent = dataStr.length <= MAX_CONTENT ? dataStr : dataStr.slice(0, -4) + " ...";
    }
    const rawContentStr = `Raw response content:
${shortContent}`;
    return new _QdrantClientUnexpectedResponseError(`Unexpected Response: ${statusStr}
${rawContentStr}`);
  }
};
var QdrantClientConfigError = class extends CustomError {
};
var QdrantClientTimeoutError = class extends CustomError {
};
var QdrantClientResourceExhaustedError = class extends CustomError {
  constructor(message2, retryAfter) {
    super(message2);
    const retryAfterNumber = Number(retryAfter);
    if (isNaN(retryAfterNumber)) {
      throw new CustomError(`Invalid retryAfter value: ${retryAfter}`);
    }
    this.retry_after = retryAfterNumber;
    Object.setPrototypeOf(this, new.target.prototype);
  }
};

// node_modules/@qdrant/js-client-rest/dist/esm/openapi/generated_api_client.js
function createClientApi(client) {
  return {
    /** List shard keys */
    listShardKeys: client.path("/collections/{collection_name}/shards").method("get").create(),
    /** Create shard key */
    createShardKey: client.path("/collections/{collection_name}/shards").method("put").create({
      timeout: true
    }),
    /** Delete shard key */
    deleteShardKey: client.path("/collections/{collection_name}/shards/delete").method("post").create({
      timeout: true
    }),
    /**
         * Returns information about the running Qdrant instance
         * @description Returns information about the running Qdrant instance like version and commit id
         */
    root: client.path("/").method("get").create(),
    /**
         * Collect telemetry data
         * @description Collect telemetry data including app info, system info, collections info, cluster info, configs and statistics
         */
    telemetry: client.path("/telemetry").method("get").create(),
    /**
         * Collect Prometheus metrics data
         * @description Collect metrics data including app info, collections info, cluster info and statistics
         */
    metrics: client.path("/metrics").method("get").create(),
    /**
         * Kubernetes healthz endpoint
         * @description Liveness-style health check. Returns 200 as soon as the HTTP API is serving requests. It does not inspect collections, shards or consensus state, and is identical to `/livez`. Use it only to detect whether the process is up and responsive.
         */
    healthz: client.path("/healthz").method("get").create(),
    /**
         * Kubernetes livez endpoint
         * @description Kubernetes liveness probe. Returns 200 as soon as the HTTP API is serving requests. It does not inspect collections, shards or consensus state, and is identical to `/healthz`. A failure indicates the process is unresponsive and should be restarted.
         */
    livez: client.path("/livez").method("get").create(),
    /**
         * Kubernetes readyz endpoint
         * @description Kubernetes readiness probe. Checks the instance and waits out pending data operations to see when it can start accepting traffic. In a distributed deployment it returns 200 only once the node has caught up with the cluster consensus commit and its local shards are healthy; otherwise it returns 503. In a single-node deployment it always returns 200 once the API is up. Use it to decide when to route traffic to the instance.
         */
    readyz: client.path("/readyz").method("get").create(),
    /**
         * Get issues
         * @description Get a report of performance issues and configuration suggestions
         */
    getIssues: client.path("/issues").method("get").create(),
    /**
         * Clear issues
         * @description Removes all issues reported so far
         */
    clearIssues: client.path("/issues").method("delete").create(),
    /**
         * Get cluster status info
         * @description Get information about the current state and composition of the cluster
         */
    clusterStatus: client.path("/cluster").method("get").create(),
    /**
         * Collect cluster telemetry data
         * @description Get telemetry data, from the point of view of the cluster. This includes peers info, collections info, shard transfers, and resharding status
         */
    clusterTelemetry: client.path("/cluster/telemetry").method("get").create(),
    /** Tries to recover current peer Raft state. */
    recoverCurrentPeer: client.path("/cluster/recover").method("post").create(),
    /**
         * Remove peer from the cluster
         * @description Tries to remove peer from the cluster. Will return an error if peer has shards on it.
         */
    removePeer: client.path("/cluster/peer/{peer_id}").method("delete").create({
      timeout: true,
      force: true
    }),
    /**
         * Get global quotas
         * @description Get the cluster-wide resource quota configuration, together with the current utilization it is measured against.
         * The configuration is the same on every peer, but the reported utilization is for the node serving this request only -
         * memory and disk are node-local, so query each peer to see where the whole cluster stands.
         */
    getQuotas: client.path("/quotas").method("get").create(),
    /**
         * Set global quotas
         * @description Replace the cluster-wide resource quota configuration. The new configuration is propagated to every peer through consensus and persisted, so it survives restarts
         */
    updateQuotas: client.path("/quotas").method("put").create({
      wait: true
    }),
    /**
         * List collections
         * @description Get list name of all existing collections
         */
    getCollections: client.path("/collections").method("get").create(),
    /**
         * Collection info
         * @description Get detailed information about specified existing collection
         */
    getCollection: client.path("/collections/{collection_name}").method("get").create(),
    /**
         * Create collection
         * @description Create new collection with given parameters
         */
    createCollection: client.path("/collections/{collection_name}").method("put").create({
      timeout: true
    }),
    /**
         * Delete collection
         * @description Drop collection and all associated data
         */
    deleteCollection: client.path("/collections/{collection_name}").method("delete").create({
      timeout: true
    }),
    /**
         * Update collection parameters
         * @description Update parameters of the existing collection
         */
    updateCollection: client.path("/collections/{collection_name}").method("patch").create({
      timeout: true
    }),
    /** Update aliases of the collections */
    updateAliases: client.path("/collections/aliases").method("post").create({
      timeout: true
    }),
    /**
         * Create index for field in collection
         * @description Create index for field in collection
         */
    createFieldIndex: client.path("/collections/{collection_name}/index").method("put").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Check the existence of a collection
         * @description Returns "true" if the given collection name exists, and "false" otherwise
         */
    collectionExists: client.path("/collections/{collection_name}/exists").method("get").create(),
    /**
         * Delete index for field in collection
         * @description Delete field index for collection
         */
    deleteFieldIndex: client.path("/collections/{collection_name}/index/{field_name}").method("delete").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Create named vector
         * @description Create a new named vector on an existing collection
         */
    createVectorName: client.path("/collections/{collection_name}/vectors/{vector_name}").method("put").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Delete named vector
         * @description Delete a named vector from a collection
         */
    deleteVectorName: client.path("/collections/{collection_name}/vectors/{vector_name}").method("delete").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Collection cluster info
         * @description Get cluster information for a collection
         */
    collectionClusterInfo: client.path("/collections/{collection_name}/cluster").method("get").create(),
    /** Update collection cluster setup */
    updateCollectionCluster: client.path("/collections/{collection_name}/cluster").method("post").create({
      timeout: true
    }),
    /**
         * Get optimization progress
         * @description Get progress of ongoing and completed optimizations for a collection
         */
    getOptimizations: client.path("/collections/{collection_name}/optimizations").method("get").create(),
    /**
         * List aliases for collection
         * @description Get list of all aliases for a collection
         */
    getCollectionAliases: client.path("/collections/{collection_name}/aliases").method("get").create(),
    /**
         * List collections aliases
         * @description Get list of all existing collections aliases
         */
    getCollectionsAliases: client.path("/aliases").method("get").create(),
    /**
         * Recover from an uploaded snapshot
         * @description Recover local collection data from an uploaded snapshot. This will overwrite any data, stored on this node, for the collection. If collection does not exist - it will be created.
         */
    recoverFromUploadedSnapshot: client.path("/collections/{collection_name}/snapshots/upload").method("post").create({
      wait: true,
      priority: true,
      checksum: true
    }),
    /**
         * Recover from a snapshot
         * @description Recover local collection data from a snapshot. This will overwrite any data, stored on this node, for the collection. If collection does not exist - it will be created.
         */
    recoverFromSnapshot: client.path("/collections/{collection_name}/snapshots/recover").method("put").create({
      wait: true
    }),
    /**
         * List collection snapshots
         * @description Get list of snapshots for a collection
         */
    listSnapshots: client.path("/collections/{collection_name}/snapshots").method("get").create(),
    /**
         * Create collection snapshot
         * @description Create new snapshot for a collection
         */
    createSnapshot: client.path("/collections/{collection_name}/snapshots").method("post").create({
      wait: true
    }),
    /**
         * Download collection snapshot
         * @description Download specified snapshot from a collection as a file
         */
    getSnapshot: client.path("/collections/{collection_name}/snapshots/{snapshot_name}").method("get").create(),
    /**
         * Delete collection snapshot
         * @description Delete snapshot for a collection
         */
    deleteSnapshot: client.path("/collections/{collection_name}/snapshots/{snapshot_name}").method("delete").create({
      wait: true
    }),
    /**
         * List of storage snapshots
         * @description Get list of snapshots of the whole storage
         */
    listFullSnapshots: client.path("/snapshots").method("get").create(),
    /**
         * Create storage snapshot
         * @description Create new snapshot of the whole storage
         */
    createFullSnapshot: client.path("/snapshots").method("post").create({
      wait: true
    }),
    /**
         * Download storage snapshot
         * @description Download specified snapshot of the whole storage as a file
         */
    getFullSnapshot: client.path("/snapshots/{snapshot_name}").method("get").create(),
    /**
         * Delete storage snapshot
         * @description Delete snapshot of the whole storage
         */
    deleteFullSnapshot: client.path("/snapshots/{snapshot_name}").method("delete").create({
      wait: true
    }),
    /**
         * Download shard snapshot
         * @description Stream the current state of a shard as a snapshot file
         */
    streamShardSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshot").method("get").create(),
    /**
         * Recover shard from an uploaded snapshot
         * @description Recover shard of a local collection from an uploaded snapshot. This will overwrite any data, stored on this node, for the collection shard.
         */
    recoverShardFromUploadedSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots/upload").method("post").create({
      wait: true,
      priority: true,
      checksum: true
    }),
    /**
         * Recover from a snapshot
         * @description Recover shard of a local collection data from a snapshot. This will overwrite any data, stored in this shard, for the collection.
         */
    recoverShardFromSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots/recover").method("put").create({
      wait: true
    }),
    /**
         * List shards snapshots for a collection
         * @description Get list of snapshots for a shard of a collection
         */
    listShardSnapshots: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots").method("get").create(),
    /**
         * Create shard snapshot
         * @description Create new snapshot of a shard for a collection
         */
    createShardSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots").method("post").create({
      wait: true
    }),
    /**
         * Download collection snapshot
         * @description Download specified snapshot of a shard from a collection as a file
         */
    getShardSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots/{snapshot_name}").method("get").create(),
    /**
         * Delete shard snapshot
         * @description Delete snapshot of a shard for a collection
         */
    deleteShardSnapshot: client.path("/collections/{collection_name}/shards/{shard_id}/snapshots/{snapshot_name}").method("delete").create({
      wait: true
    }),
    /**
         * Get point
         * @description Retrieve full information of single point by id
         */
    getPoint: client.path("/collections/{collection_name}/points/{id}").method("get").create(),
    /**
         * Upsert points
         * @description Perform insert + updates on points. If point with given ID already exists - it will be overwritten.
         */
    upsertPoints: client.path("/collections/{collection_name}/points").method("put").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Get points
         * @description Retrieve multiple points by specified IDs
         */
    getPoints: client.path("/collections/{collection_name}/points").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Delete points
         * @description Delete points
         */
    deletePoints: client.path("/collections/{collection_name}/points/delete").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Update vectors
         * @description Update specified named vectors on points, keep unspecified vectors intact.
         */
    updateVectors: client.path("/collections/{collection_name}/points/vectors").method("put").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Delete vectors
         * @description Delete named vectors from the given points.
         */
    deleteVectors: client.path("/collections/{collection_name}/points/vectors/delete").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Overwrite payload
         * @description Replace full payload of points with new one
         */
    overwritePayload: client.path("/collections/{collection_name}/points/payload").method("put").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Set payload
         * @description Set payload values for points
         */
    setPayload: client.path("/collections/{collection_name}/points/payload").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Delete payload
         * @description Delete specified key payload for points
         */
    deletePayload: client.path("/collections/{collection_name}/points/payload/delete").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Clear payload
         * @description Remove all payload for specified points
         */
    clearPayload: client.path("/collections/{collection_name}/points/payload/clear").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Batch update points
         * @description Apply a series of update operations for points, vectors and payloads
         */
    batchUpdate: client.path("/collections/{collection_name}/points/batch").method("post").create({
      wait: true,
      ordering: true,
      timeout: true
    }),
    /**
         * Scroll points
         * @description Scroll request - paginate over all points which matches given filtering condition
         */
    scrollPoints: client.path("/collections/{collection_name}/points/scroll").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Count points
         * @description Count points which matches given filtering condition
         */
    countPoints: client.path("/collections/{collection_name}/points/count").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Facet a payload key with a given filter.
         * @description Count points that satisfy the given filter for each unique value of a payload key.
         */
    facet: client.path("/collections/{collection_name}/facet").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Query points
         * @description Universally query points. This endpoint covers all capabilities of search, recommend, discover, filters. But also enables hybrid and multi-stage queries.
         */
    queryPoints: client.path("/collections/{collection_name}/points/query").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Query points in batch
         * @description Universally query points in batch. This endpoint covers all capabilities of search, recommend, discover, filters. But also enables hybrid and multi-stage queries.
         */
    queryBatchPoints: client.path("/collections/{collection_name}/points/query/batch").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Query points, grouped by a given payload field
         * @description Universally query points, grouped by a given payload field
         */
    queryPointsGroups: client.path("/collections/{collection_name}/points/query/groups").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Search points matrix distance pairs
         * @description Compute distance matrix for sampled points with a pair based output format
         */
    searchMatrixPairs: client.path("/collections/{collection_name}/points/search/matrix/pairs").method("post").create({
      consistency: true,
      timeout: true
    }),
    /**
         * Search points matrix distance offsets
         * @description Compute distance matrix for sampled points with an offset based output format
         */
    searchMatrixOffsets: client.path("/collections/{collection_name}/points/search/matrix/offsets").method("post").create({
      consistency: true,
      timeout: true
    })
  };
}

// node_modules/@qdrant/js-client-rest/dist/esm/context-headers.js
var _current = {};
function getContextHeaders() {
  return _current;
}

// node_modules/@qdrant/js-client-rest/dist/esm/api-client.js
function createApis(baseUrl, args) {
  const client = createClient(baseUrl, args);
  return createClientApi(client);
}
function createClient(baseUrl, { headers, timeout, connections }) {
  const use = [];
  use.push((url, init, next) => {
    const ctx = getContextHeaders();
    const entries = Object.entries(ctx);
    if (entries.length === 0)
      return next(url, init);
    const merged = new Headers(init.headers);
    for (const [key, value] of entries)
      merged.set(key, value);
    return next(url, { ...init, headers: merged });
  });
  if (Number.isFinite(timeout)) {
    use.push(async (url, init, next) => {
      const controller = new AbortController();
      const id = setTimeout(() => controller.abort(), timeout);
      try {
        return await next(url, Object.assign(init, { signal: controller.signal }));
      } catch (e) {
        if (e instanceof Error && e.name === "AbortError") {
          throw new QdrantClientTimeoutError(e.message);
        }
        throw e;
      } finally {
        clearTimeout(id);
      }
    });
  }
  use.push(async (url, init, next) => {
    let response;
    try {
      response = await next(url, init);
      if (response.status === 200 || response.status === 201) {
        return response;
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        const retryAfterHeader = error.headers.get("retry-after")?.[0];
        if (retryAfterHeader) {
          throw new QdrantClientResourceExhaustedError(error.message, retryAfterHeader);
        }
      }
      throw error;
    }
    throw QdrantClientUnexpectedResponseError.forResponse(response);
  });
  const client = Fetcher.for();
  client.configure({
    baseUrl,
    init: {
      headers,
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
      dispatcher: typeof process !== "undefined" && // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      process.versions?.node ? createDispatcher(connections) : void 0
    },
    use
  });
  return client;
}

// node_modules/@qdrant/js-client-rest/dist/esm/client-version.js
var PACKAGE_VERSION = "1.19.0";
var ClientVersion = {
  /**
   * Parses a version string into a structured Version object.
   * @param version - The version string to parse (e.g., "1.2.3").
   * @returns A Version object.
   * @throws If the version format is invalid.
   */
  parseVersion(version) {
    if (!version) {
      throw new Error("Version is null");
    }
    const [majorPart, minorPart] = version.split(".", 2);
    const major = parseInt(majorPart, 10);
    const minor = parseInt(minorPart, 10);
    if (isNaN(major) || isNaN(minor)) {
      throw new Error(`Unable to parse version, expected format: x.y[.z], found: ${version}`);
    }
    return {
      major,
      minor
    };
  },
  /**
   * Checks if the client version is compatible with the server version.
   * @param clientVersion - The client version string.
   * @param serverVersion - The server version string.
   * @returns True if compatible, otherwise false.
   */
  isCompatible(clientVersion, serverVersion) {
    if (!clientVersion || !serverVersion) {
      console.debug(`Unable to compare versions with null values. Client: ${clientVersion}, Server: ${serverVersion}`);
      return false;
    }
    if (clientVersion === serverVersion)
      return true;
    try {
      const client = ClientVersion.parseVersion(clientVersion);
      const server = ClientVersion.parseVersion(serverVersion);
      return client.major === server.major && Math.abs(client.minor - server.minor) <= 1;
    } catch (error) {
      console.debug(`Unable to compare versions: ${error}`);
      return false;
    }
  }
};

// node_modules/@qdrant/js-client-rest/dist/esm/qdrant-client.js
var noResultError = () => {
  throw new Error("Result came uninitialized");
};
var QdrantClient = class {
  constructor({ url, host, apiKey, https, prefix, port = 6333, timeout = 3e5, checkCompatibility = true, ...args } = {}) {
    this._https = https ?? typeof apiKey === "string";
    this._scheme = this._https ? "https" : "http";
    this._prefix = prefix ?? "";
    if (this._prefix.length > 0 && !this._prefix.startsWith("/")) {
      this._prefix = `/${this._prefix}`;
    }
    if (url && host) {
      throw new QdrantClientConfigError(`Only one of \`url\`, \`host\` params can be set. Url is ${url}, host is ${host}`);
    }
    if (host && (host.startsWith("http://") || host.startsWith("https://") || /:\d+$/.test(host))) {
      throw new QdrantClientConfigError("The `host` param is not expected to contain neither protocol (http:// or https://) nor port (:6333).\nTry to use the `url` parameter instead.");
    } else if (url) {
      if (!(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new QdrantClientConfigError("The `url` param expected to contain a valid URL starting with a protocol (http:// or https://).");
      }
      const parsedUrl = new URL(url);
      this._host = parsedUrl.hostname;
      this._port = parsedUrl.port ? Number(parsedUrl.port) : port;
      this._scheme = parsedUrl.protocol.replace(":", "");
      if (this._prefix.length > 0 && parsedUrl.pathname !== "/") {
        throw new QdrantClientConfigError(`Prefix can be set either in \`url\` or in \`prefix\`.
url is ${url}, prefix is ${parsedUrl.pathname}`);
      }
    } else {
      this._port = port;
      this._host = host ?? "127.0.0.1";
    }
    const headers = new Headers([["user-agent", "qdrant-js/" + String(PACKAGE_VERSION)]]);
    const metadata = args.headers ?? {};
    Object.keys(metadata).forEach((field) => {
      if (metadata[field]) {
        headers.set(field, String(metadata[field]));
      }
    });
    if (typeof apiKey === "string") {
      if (this._scheme === "http") {
        console.warn("Api key is used with unsecure connection.");
      }
      headers.set("api-key", apiKey);
    }
    const address = this._port ? `${this._host}:${this._port}` : this._host;
    this._restUri = `${this._scheme}://${address}${this._prefix}`;
    const connections = args.maxConnections;
    const restArgs = { headers, timeout, connections };
    this._openApiClient = createApis(this._restUri, restArgs);
    if (checkCompatibility) {
      this._openApiClient.root({}).then((response) => {
        const serverVersion = response.data.version;
        if (!ClientVersion.isCompatible(PACKAGE_VERSION, serverVersion)) {
          console.warn(`Client version ${PACKAGE_VERSION} is incompatible with server version ${serverVersion}. Major versions should match and minor version difference must not exceed 1. Set checkCompatibility=false to skip version check.`);
        }
      }).catch(() => {
        console.warn(`Failed to obtain server version. Unable to check client-server compatibility. Set checkCompatibility=false to skip version check.`);
      });
    }
  }
  /**
   * API getter
   *
   * @returns An instance of an API, generated from OpenAPI schema.
   */
  api() {
    return this._openApiClient;
  }
  /**
   * Scroll over all (matching) points in the collection.
   * @param collection_name Name of the collection
   * @param {object} args
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - filter: If provided - only returns points matching filtering conditions
   *     - limit: How many points to return
   *     - offset: If provided - skip points with ids less than given `offset`
   *     - with_payload:
   *         - Specify which stored payload should be attached to the result.
   *         - If `True` - attach all payload
   *         - If `False` - do not attach any payload
   *         - If List of string - include only specified fields
   *         - If `PayloadSelector` - use explicit rules
   *         - Default: `true`
   *     - with_vector:
   *         - If `True` - Attach stored vector to the search result.
   *         - If `False` - Do not attach vector.
   *         - If List of string - include only specified fields
   *         - Default: `false`
   *     - consistency:
   *         Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *         - int - number of replicas to query, values should present in all queried replicas
   *         - 'majority' - query all replicas, but return values present in the majority of replicas
   *         - 'quorum' - query the majority of replicas, return values present in all of them
   *         - 'all' - query all replicas, and return values present in all replicas
   *     - order_by:
   *         Order the records by a payload field.
   * @returns
   *     A pair of (List of points) and (optional offset for the next scroll request).
   *     If next page offset is `None` - there is no more points in the collection to scroll.
   */
  async scroll(collection_name, { shard_key, filter, consistency, timeout, limit = 10, offset, with_payload = true, with_vector = false, order_by } = {}) {
    const response = await this._openApiClient.scrollPoints({
      collection_name,
      shard_key,
      limit,
      offset,
      filter,
      with_payload,
      with_vector,
      order_by,
      consistency,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Count points in the collection.
   * Count points in the collection matching the given filter.
   * @param collection_name
   * @param {object} args
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - filter: filtering conditions
   *     - exact:
   *         If `True` - provide the exact count of points matching the filter.
   *         If `False` - provide the approximate count of points matching the filter. Works faster.
   *         Default: `true`
   * @returns Amount of points in the collection matching the filter.
   */
  async count(collection_name, { shard_key, filter, exact = true, timeout } = {}) {
    const response = await this._openApiClient.countPoints({
      collection_name,
      shard_key,
      filter,
      exact,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Get cluster information for a collection.
   * @param collection_name
   * @returns Operation result
   */
  async collectionClusterInfo(collection_name) {
    const response = await this._openApiClient.collectionClusterInfo({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Update collection cluster setup
   * @param collection_name Name of the collection
   * @param {object} args
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - operation: Cluster operation to perform. Can be one of:
   *         - move_shard: Move a shard from one peer to another
   *         - replicate_shard: Replicate a shard to another peer
   *         - abort_transfer: Abort an ongoing shard transfer
   *         - drop_replica: Drop a replica from a peer
   *         - create_sharding_key: Create a new sharding key
   *         - drop_sharding_key: Drop an existing sharding key
   *         - restart_transfer: Restart a failed shard transfer
   *         - start_resharding: Start resharding operation
   *         - abort_resharding: Abort an ongoing resharding operation
   * @returns Operation result
   */
  async updateCollectionCluster(collection_name, { timeout, ...operation }) {
    const response = await this._openApiClient.updateCollectionCluster({
      collection_name,
      timeout,
      ...operation
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Update vectors
   * @param collection_name
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *         - Default: `true`
   *     - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - points: Points with named vectors
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   * @returns Operation result
   */
  async updateVectors(collection_name, { wait = true, ordering, timeout, points, shard_key }) {
    const response = await this._openApiClient.updateVectors({
      collection_name,
      wait,
      ordering,
      timeout,
      points,
      shard_key
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete vectors
   * @param collection_name
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *         - Default: `true`
   *     - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - points: Deletes values from each point in this list
   *     - filter: Deletes values from points that satisfy this filter condition
   *     - vector: Vector names
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   * @returns Operation result
   */
  async deleteVectors(collection_name, { wait = true, ordering, timeout, points, filter, vector, shard_key }) {
    const response = await this._openApiClient.deleteVectors({
      collection_name,
      wait,
      ordering,
      timeout,
      points,
      filter,
      vector,
      shard_key
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Create a new named vector on an existing collection.
   * Only the immutable properties of the vector space are configurable here;
   * storage, index and quantization are inferred and may be tuned later via {@link updateCollection}.
   * @param collection_name
   * @param vector_name Name of the new vector
   * @param config Vector configuration - either dense or sparse
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *     - ordering: Define strategy for ordering of the operation.
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   * @returns Operation result
   */
  async createVectorName(collection_name, vector_name, config, { wait = true, ordering, timeout } = {}) {
    const response = await this._openApiClient.createVectorName({
      collection_name,
      vector_name,
      wait,
      ordering,
      timeout,
      ...config
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete a named vector from a collection.
   * @param collection_name
   * @param vector_name Name of the vector to delete
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *     - ordering: Define strategy for ordering of the operation.
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   * @returns Operation result
   */
  async deleteVectorName(collection_name, vector_name, { wait = true, ordering, timeout } = {}) {
    const response = await this._openApiClient.deleteVectorName({
      collection_name,
      vector_name,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Update or insert a new point into the collection.
   * @param collection_name
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *         - Default: `true`
   *     - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - points: Batch or list of points to insert
   * @returns Operation result
   */
  async upsert(collection_name, { wait = true, ordering, timeout, ...points_or_batch }) {
    const response = await this._openApiClient.upsertPoints({
      collection_name,
      wait,
      ordering,
      timeout,
      ...points_or_batch
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Retrieve stored points by IDs
   * @param collection_name
   * @param {object} args -
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - ids: list of IDs to lookup
   *     - with_payload:
   *         - Specify which stored payload should be attached to the result.
   *         - If `True` - attach all payload
   *         - If `False` - do not attach any payload
   *         - If List of string - include only specified fields
   *         - If `PayloadSelector` - use explicit rules
   *         - Default: `true`
   *     - with_vector:
   *         - If `True` - Attach stored vector to the search result.
   *         - If `False` - Do not attach vector.
   *         - If List of string - Attach only specified vectors.
   *         - Default: `false`
   *     - consistency:
   *         Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *             Values:
   *                 - number - number of replicas to query, values should present in all queried replicas
   *                 - 'majority' - query all replicas, but return values present in the majority of replicas
   *                 - 'quorum' - query the majority of replicas, return values present in all of them
   *                 - 'all' - query all replicas, and return values present in all replicas
   * @returns List of points
   */
  async retrieve(collection_name, { shard_key, ids, with_payload = true, with_vector, consistency, timeout }) {
    const response = await this._openApiClient.getPoints({
      collection_name,
      shard_key,
      ids,
      with_payload,
      with_vector,
      consistency,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Deletes selected points from collection
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - points_selector: List of affected points, filter or points selector.
   *         Example:
   *             - `points: [
   *                   1, 2, 3, "cd3b53f0-11a7-449f-bc50-d06310e7ed90"
   *               ]`
   *             - `filter: {
   *                    must: [
   *                        {
   *                            key: 'rand_number',
   *                            range: {
   *                                gte: 0.7
   *                            }
   *                        }
   *                    ]
   *                }`
   * @returns Operation result
   */
  async delete(collection_name, { wait, ordering, timeout, ...points_selector }) {
    const response = await this._openApiClient.deletePoints({
      collection_name,
      wait,
      ordering,
      timeout,
      ...points_selector
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Sets payload values for specified points.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - payload: Key-value pairs of payload to assign
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - key: Assigns payload to each point that satisfy this path of property
   *     - points|filter: List of affected points, filter or points selector.
   *         Example:
   *             - `points: [
   *                   1, 2, 3, "cd3b53f0-11a7-449f-bc50-d06310e7ed90"
   *               ]`
   *             - `filter: {
   *                    must: [
   *                        {
   *                            key: 'rand_number',
   *                            range: {
   *                                gte: 0.7
   *                            }
   *                        }
   *                    ]
   *                }`
   * @returns Operation result
   */
  async setPayload(collection_name, { payload, points, filter, shard_key, key, ordering, timeout, wait = true }) {
    const response = await this._openApiClient.setPayload({
      collection_name,
      payload,
      points,
      filter,
      shard_key,
      key,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Overwrites payload of the specified points
   * After this operation is applied, only the specified payload will be present in the point.
   * The existing payload, even if the key is not specified in the payload, will be deleted.
   * @param collection_name Name of the collection
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - payload: Key-value pairs of payload to assign
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - key: Assigns payload to each point that satisfy this path of property
   *     - points|filter: List of affected points, filter or points selector.
   *         Example:
   *             - `points: [
   *                   1, 2, 3, "cd3b53f0-11a7-449f-bc50-d06310e7ed90"
   *               ]`
   *             - `filter: {
   *                    must: [
   *                        {
   *                            key: 'rand_number',
   *                            range: {
   *                                gte: 0.7
   *                            }
   *                        }
   *                    ]
   *                }`
   * @returns Operation result
   */
  async overwritePayload(collection_name, { ordering, timeout, payload, points, filter, shard_key, key, wait = true }) {
    const response = await this._openApiClient.overwritePayload({
      collection_name,
      payload,
      points,
      filter,
      shard_key,
      key,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Remove values from point's payload
   * @param collection_name Name of the collection
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - keys: List of payload keys to remove.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - points|filter: List of affected points, filter or points selector.
   *         Example:
   *             - `points: [
   *                   1, 2, 3, "cd3b53f0-11a7-449f-bc50-d06310e7ed90"
   *               ]`
   *             - `filter: {
   *                    must: [
   *                        {
   *                            key: 'rand_number',
   *                            range: {
   *                                gte: 0.7
   *                            }
   *                        }
   *                    ]
   *                }`
   * @returns Operation result
   */
  async deletePayload(collection_name, { ordering, timeout, keys, points, filter, shard_key, wait = true }) {
    const response = await this._openApiClient.deletePayload({
      collection_name,
      keys,
      points,
      filter,
      shard_key,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete all payload for selected points
   * @param collection_name Name of the collection
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *     - points_selector: List of affected points, filter or points selector.
   *         Example:
   *             - `points: [
   *                   1, 2, 3, "cd3b53f0-11a7-449f-bc50-d06310e7ed90"
   *               ]`
   *             - `filter: {
   *                    must: [
   *                        {
   *                            key: 'rand_number',
   *                            range: {
   *                                gte: 0.7
   *                            }
   *                        }
   *                    ]
   *                }`
   * @returns Operation result
   */
  async clearPayload(collection_name, { ordering, timeout, wait = true, ...points_selector }) {
    const response = await this._openApiClient.clearPayload({
      collection_name,
      wait,
      ordering,
      timeout,
      ...points_selector
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Operation for performing changes of collection aliases.
   * Alias changes are atomic, meaning that no collection modifications can happen between alias operations.
   * @param {object} args
   *     - actions: List of operations to perform
   *     - timeout: Wait for operation commit timeout in seconds. If timeout is reached, request will return with service error.
   * @returns Operation result
   */
  async updateCollectionAliases({ actions, timeout }) {
    const response = await this._openApiClient.updateAliases({ actions, timeout });
    return response.data.result ?? noResultError();
  }
  /**
   * Get collection aliases
   * @param collection_name Name of the collection
   * @returns Collection aliases
   */
  async getCollectionAliases(collection_name) {
    const response = await this._openApiClient.getCollectionAliases({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Get all aliases
   * @returns All aliases of all collections
   */
  async getAliases() {
    const response = await this._openApiClient.getCollectionsAliases({});
    return response.data.result ?? noResultError();
  }
  /**
   * Get list name of all existing collections
   * @returns List of the collections
   */
  async getCollections() {
    const response = await this._openApiClient.getCollections({});
    return response.data.result ?? noResultError();
  }
  /**
   * Get detailed information about specified existing collection
   *
   * @param collection_name Name of the collection
   * @returns Detailed information about the collection
   */
  async getCollection(collection_name) {
    const response = await this._openApiClient.getCollection({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Update parameters of the collection
   *
   * @param collection_name Name of the collection
   * @param {object} args
   *     - optimizer_config: Override for optimizer configuration
   *     - collection_params: Override for collection parameters
   *     - timeout: Wait for operation commit timeout in seconds. If timeout is reached, request will return with service error.
   * @returns Operation result
   */
  async updateCollection(collection_name, args) {
    const response = await this._openApiClient.updateCollection({
      collection_name,
      ...args
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Removes collection and all it's data
   * @param collection_name Name of the collection to delete
   * @param {object} args
   *     - timeout:
   *         Wait for operation commit timeout in seconds.
   *         If timeout is reached, request will return with service error.
   * @returns Operation result
   */
  async deleteCollection(collection_name, args) {
    const response = await this._openApiClient.deleteCollection({ collection_name, ...args });
    return response.data.result ?? noResultError();
  }
  /**
   * Create empty collection with given parameters
   * @returns Operation result
   * @param collectionName Name of the collection to recreate
   * @param {object} args
   *     - vectors_config:
   *         Configuration of the vector storage. Vector params contains size and distance for the vector storage.
   *         If dict is passed, service will create a vector storage for each key in the dict.
   *         If single VectorParams is passed, service will create a single anonymous vector storage.
   *     - shard_number: Number of shards in collection. Default is 1, minimum is 1.
   *     - sharding_method: Sharding method Default is Auto - points are distributed across all available shards Custom - points are distributed across shards according to shard key
   *     - replication_factor:
   *         Replication factor for collection. Default is 1, minimum is 1.
   *         Defines how many copies of each shard will be created.
   *         Have effect only in distributed mode.
   *     - write_consistency_factor:
   *         Write consistency factor for collection. Default is 1, minimum is 1.
   *         Defines how many replicas should apply the operation for us to consider it successful.
   *         Increasing this number will make the collection more resilient to inconsistencies, but will
   *         also make it fail if not enough replicas are available.
   *         Does not have any performance impact.
   *         Have effect only in distributed mode.
   *     - on_disk_payload:
   *         If true - point`s payload will not be stored in memory.
   *         It will be read from the disk every time it is requested.
   *         This setting saves RAM by (slightly) increasing the response time.
   *         Note: those payload values that are involved in filtering and are indexed - remain in RAM.
   *     - hnsw_config: Params for HNSW index
   *     - optimizers_config: Params for optimizer
   *     - wal_config: Params for Write-Ahead-Log
   *     - quantization_config: Params for quantization, if None - quantization will be disabled
   *     - init_from: Use data stored in another collection to initialize this collection
   *     - sparse_vectors: Sparse vector data config
   *     - strict_mode_config: Strict mode configuration
   *     - timeout:
   *         Wait for operation commit timeout in seconds.
   *         If timeout is reached, request will return with service error.
   */
  async createCollection(collection_name, { timeout, vectors, hnsw_config, on_disk_payload, optimizers_config, quantization_config, replication_factor, shard_number, sharding_method, wal_config, write_consistency_factor, sparse_vectors, strict_mode_config, payload, metadata }) {
    const response = await this._openApiClient.createCollection({
      collection_name,
      timeout,
      vectors,
      hnsw_config,
      on_disk_payload,
      optimizers_config,
      quantization_config,
      replication_factor,
      shard_number,
      sharding_method,
      wal_config,
      write_consistency_factor,
      sparse_vectors,
      strict_mode_config,
      payload,
      metadata
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete and create empty collection with given parameters
   * @returns Operation result
   * @param collectionName Name of the collection to recreate
   * @param {object} args
   *     - vectorsConfig:
   *         Configuration of the vector storage. Vector params contains size and distance for the vector storage.
   *         If dict is passed, service will create a vector storage for each key in the dict.
   *         If single VectorParams is passed, service will create a single anonymous vector storage.
   *     - shardNumber: Number of shards in collection. Default is 1, minimum is 1.
   *     - sharding_method: Sharding method Default is Auto - points are distributed across all available shards Custom - points are distributed across shards according to shard key
   *     - replicationFactor:
   *         Replication factor for collection. Default is 1, minimum is 1.
   *         Defines how many copies of each shard will be created.
   *         Have effect only in distributed mode.
   *     - writeConsistencyFactor:
   *         Write consistency factor for collection. Default is 1, minimum is 1.
   *         Defines how many replicas should apply the operation for us to consider it successful.
   *         Increasing this number will make the collection more resilient to inconsistencies, but will
   *         also make it fail if not enough replicas are available.
   *         Does not have any performance impact.
   *         Have effect only in distributed mode.
   *     - onDiskPayload:
   *         If true - point`s payload will not be stored in memory.
   *         It will be read from the disk every time it is requested.
   *         This setting saves RAM by (slightly) increasing the response time.
   *         Note: those payload values that are involved in filtering and are indexed - remain in RAM.
   *     - hnswConfig: Params for HNSW index
   *     - optimizersConfig: Params for optimizer
   *     - walConfig: Params for Write-Ahead-Log
   *     - quantizationConfig: Params for quantization, if None - quantization will be disabled
   *     - initFrom: Use data stored in another collection to initialize this collection
   *     - sparse_vectors: Sparse vector data config
   *     - strict_mode_config: Strict mode configuration
   *     - timeout:
   *         Wait for operation commit timeout in seconds.
   *         If timeout is reached, request will return with service error.
   */
  async recreateCollection(collection_name, { timeout, vectors, hnsw_config, on_disk_payload, optimizers_config, quantization_config, replication_factor, shard_number, sharding_method, wal_config, write_consistency_factor, sparse_vectors, strict_mode_config, payload, metadata }) {
    const deleteResponse = await this._openApiClient.deleteCollection({
      collection_name,
      timeout
    });
    if (!deleteResponse.ok) {
      throw new Error("Delete collection returned failed");
    }
    const response = await this._openApiClient.createCollection({
      collection_name,
      timeout,
      vectors,
      hnsw_config,
      on_disk_payload,
      optimizers_config,
      quantization_config,
      replication_factor,
      shard_number,
      sharding_method,
      wal_config,
      write_consistency_factor,
      sparse_vectors,
      strict_mode_config,
      payload,
      metadata
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Creates index for a given payload field.
   * Indexed fields allow to perform filtered search operations faster.
   * @param collectionName Name of the collection
   * @param {object} args
   *     - fieldName: Name of the payload field.
   *     - fieldSchema: Type of data to index.
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *     - ordering:
   *         Define strategy for ordering of the points. Possible values:
   *         - 'weak'   - write operations may be reordered, works faster, default
   *         - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *         - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   * @returns Operation Result
   */
  async createPayloadIndex(collection_name, { wait, ordering, timeout, field_name, field_schema }) {
    const response = await this._openApiClient.createFieldIndex({
      collection_name,
      field_name,
      field_schema,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Removes index for a given payload field.
   * @param collection_name Name of the collection
   * @param field_name Name of the payload field
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *     - ordering:
   *         Define strategy for ordering of the points. Possible values:
   *         - 'weak'   - write operations may be reordered, works faster, default
   *         - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *         - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   * @returns Operation Result
   */
  async deletePayloadIndex(collection_name, field_name, { wait = true, ordering, timeout } = {}) {
    const response = await this._openApiClient.deleteFieldIndex({
      collection_name,
      field_name,
      wait,
      ordering,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * List all snapshots for a given collection
   * @param collection_name Name of the collection
   * @returns List of snapshots
   */
  async listSnapshots(collection_name) {
    const response = await this._openApiClient.listSnapshots({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Create snapshot for a given collection
   * @param collection_name Name of the collection
   * @returns Snapshot description
   */
  async createSnapshot(collection_name, args) {
    const response = await this._openApiClient.createSnapshot({ collection_name, ...args });
    return response.data.result ?? null;
  }
  /**
   * Delete snapshot for a given collection
   * @param collection_name Name of the collection
   * @param snapshot_name Snapshot id
   * @returns True if snapshot was deleted
   */
  async deleteSnapshot(collection_name, snapshot_name, args) {
    const response = await this._openApiClient.deleteSnapshot({ collection_name, snapshot_name, ...args });
    return response.data.result ?? noResultError();
  }
  /**
   * List all snapshots for a whole storage
   * @returns List of snapshots
   */
  async listFullSnapshots() {
    const response = await this._openApiClient.listFullSnapshots({});
    return response.data.result ?? noResultError();
  }
  /**
   * Create snapshot for a whole storage
   * @returns Snapshot description
   */
  async createFullSnapshot(args) {
    const response = await this._openApiClient.createFullSnapshot(args ?? {});
    return response.data.result ?? noResultError();
  }
  /**
   * Delete snapshot for a whole storage
   * @param snapshot_name Snapshot name
   * @returns True if the snapshot was deleted
   */
  async deleteFullSnapshot(snapshot_name, args) {
    const response = await this._openApiClient.deleteFullSnapshot({ snapshot_name, ...args });
    return response.data.result ?? noResultError();
  }
  /**
   * Recover collection from snapshot
   * @param collection_name Name of the collection
   * @param {object} args
   *     - location:
   *         URL of the snapshot.
   *         Example:
   *             - URL `http://localhost:8080/collections/my_collection/snapshots/my_snapshot`
   *             - Local path `file:///qdrant/snapshots/test_collection-2022-08-04-10-49-10.snapshot`
   *     - priority:
   *         Defines source of truth for snapshot recovery
   *             - `snapshot` means - prefer snapshot data over the current state
   *             - `replica` means - prefer existing data over the snapshot
   *         Default: `replica`
   *     - checksum:
   *         SHA256 checksum to verify snapshot integrity before recovery
   * @returns True if the snapshot was recovered
   */
  async recoverSnapshot(collection_name, { location, priority, checksum, api_key }) {
    const response = await this._openApiClient.recoverFromSnapshot({
      collection_name,
      location,
      priority,
      checksum,
      api_key
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Batch update points
   * Apply a series of update operations for points, vectors and payloads.
   * @param collection_name Name of the collection
   * @param {object} args
   *     - wait: Await for the results to be processed.
   *         - If `true`, result will be returned only when all changes are applied
   *         - If `false`, result will be returned immediately after the confirmation of receiving.
   *      - ordering: Define strategy for ordering of the points. Possible values:
   *          - 'weak'   - write operations may be reordered, works faster, default
   *          - 'medium' - write operations go through dynamically selected leader,
   *                      may be inconsistent for a short period of time in case of leader change
   *          - 'strong' - Write operations go through the permanent leader,
   *                      consistent, but may be unavailable if leader is down
   *      - operations: List of operations to perform
   * @returns Operation result
   */
  async batchUpdate(collection_name, { wait = true, ordering, timeout, ...operations }) {
    const response = await this._openApiClient.batchUpdate({
      collection_name,
      wait,
      ordering,
      timeout,
      ...operations
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Recover from a snapshot
   * @param collection_name Name of the collection
   * @param shard_id Shard ID
   * @returns Operation result
   */
  async recoverShardFromSnapshot(collection_name, shard_id, { wait = true, ...shard_snapshot_recover }) {
    const response = await this._openApiClient.recoverShardFromSnapshot({
      collection_name,
      shard_id,
      wait,
      ...shard_snapshot_recover
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Get list of snapshots for a shard of a collection
   * @param collection_name Name of the collection
   * @param shard_id Shard ID
   * @returns Operation result
   */
  async listShardSnapshots(collection_name, shard_id) {
    const response = await this._openApiClient.listShardSnapshots({
      collection_name,
      shard_id
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Create new snapshot of a shard for a collection
   * @param collection_name Name of the collection
   * @param shard_id Shard ID
   * @returns Operation result
   */
  async createShardSnapshot(collection_name, shard_id, { wait = true }) {
    const response = await this._openApiClient.createShardSnapshot({
      collection_name,
      shard_id,
      wait
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete snapshot of a shard for a collection
   * @param collection_name Name of the collection
   * @param shard_id Shard ID
   * @param snapshot_name Snapshot name
   * @returns Operation result
   */
  async deleteShardSnapshot(collection_name, shard_id, snapshot_name, { wait = true }) {
    const response = await this._openApiClient.deleteShardSnapshot({
      collection_name,
      shard_id,
      snapshot_name,
      wait
    });
    return response.data.result ?? noResultError();
  }
  /**
   * List shard keys
   * @param collection_name Name of the collection
   * @returns Shard keys response
   */
  async listShardKeys(collection_name) {
    const response = await this._openApiClient.listShardKeys({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Create shard key
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - shards_number: How many shards to create for this key If not specified, will use the default value from config
   *     - replication_factor: How many replicas to create for each shard If not specified, will use the default value from config
   *     - placement: Placement of shards for this key List of peer ids, that can be used to place shards for this key If not specified, will be randomly placed among all peers
   *     - initial_state: Initial state of the shards for this key If not specified, will be `Initializing` first and then `Active` Warning: do not change this unless you know what you are doing.
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   * @returns Operation result
   */
  async createShardKey(collection_name, { shard_key, shards_number, replication_factor, placement, initial_state, timeout }) {
    const response = await this._openApiClient.createShardKey({
      collection_name,
      shard_key,
      shards_number,
      replication_factor,
      placement,
      initial_state,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Delete shard key
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   * @returns Operation result
   */
  async deleteShardKey(collection_name, { shard_key, timeout }) {
    const response = await this._openApiClient.deleteShardKey({
      collection_name,
      shard_key,
      timeout
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Collect cluster telemetry data
   * @description Get telemetry data, from the point of view of the cluster.
   * This includes peers info, collections info, shard transfers, and resharding status.
   * @param {object} args
   *     - details_level: The level of detail to include in the response
   *     - per_collection: If true, include per-collection request statistics in the response
   *     - timeout: Timeout for this request
   * @returns Cluster telemetry data
   */
  async clusterTelemetry(args) {
    const response = await this._openApiClient.clusterTelemetry(args ?? {});
    return response.data.result ?? noResultError();
  }
  /**
   * Get optimization progress
   * @description Get progress of ongoing and completed optimizations for a collection
   * @param collection_name Name of the collection
   * @param {object} args
   *     - with: Comma-separated list of optional fields to include in the response.
   *             Possible values: queued, completed, idle_segments.
   *     - completed_limit: Maximum number of completed optimizations to return.
   * @returns Optimizations progress
   */
  async getOptimizations(collection_name, args) {
    const response = await this._openApiClient.getOptimizations({ collection_name, ...args });
    return response.data.result ?? noResultError();
  }
  /**
   * Get the cluster-wide quota configuration and how close each peer is to it
   * @description The configuration is cluster-wide, the utilization is not: memory and disk are node-local,
   * so one peer being under its limit says nothing about the others. `usage` describes the node that served
   * the request, `peers` is what every peer that answered reports about itself.
   * @returns Quota configuration in effect, and per-peer utilization
   */
  async getQuotas() {
    const response = await this._openApiClient.getQuotas({});
    return response.data.result ?? noResultError();
  }
  /**
   * Set the cluster-wide limits on node resources
   * @description An unset limit means the corresponding resource is not capped. Limits are only enforced
   * while `enabled` is true.
   * @param {object} args
   *     - enabled: Whether the limits are enforced
   *     - max_resident_memory_percent: Reject memory-consuming updates once process resident memory reaches
   *         this percentage of the memory available to it
   *     - max_disk_usage_percent: Reject disk-consuming updates once the storage filesystem is filled to
   *         this percentage of its capacity
   *     - release_margin_percent: How far below its limit a resource has to fall before updates resume
   *     - wait: Await for the configuration to be applied cluster-wide
   * @returns Operation result
   */
  async updateQuotas({ wait, ...config } = {}) {
    const response = await this._openApiClient.updateQuotas({ wait, ...config });
    return response.data.result ?? noResultError();
  }
  /**
   * Returns information about the running Qdrant instance
   * @description Returns information about the running Qdrant instance like version and commit id
   * @returns Operation result
   */
  async versionInfo() {
    const response = await this._openApiClient.root({});
    return response.data;
  }
  /**
   * Check the existence of a collection
   * @param collection_name Name of the collection
   * @description Returns "true" if the given collection name exists, and "false" otherwise
   * @returns Operation result
   */
  async collectionExists(collection_name) {
    const response = await this._openApiClient.collectionExists({ collection_name });
    return response.data.result ?? noResultError();
  }
  /**
   * Query points
   * @description Universally query points. This endpoint covers all capabilities of search, recommend, discover, filters. But also enables hybrid and multi-stage queries.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards.
   *     - prefetch: Sub-requests to perform first. If present, the query will be performed on the results of the prefetch(es).
   *     - query: Query to perform. If missing without prefetches, returns points ordered by their IDs.
   *     - using: Define which vector name to use for querying. If missing, the default vector is used.
   *     - filter: Filter conditions - return only those points that satisfy the specified conditions.
   *     - params: Search params for when there is no prefetch
   *     - score_threshold: Return points with scores better than this threshold.
   *     - limit: Max number of points to return. Default is 10.
   *     - offset: Offset of the result. Skip this many points. Default is 0
   *     - with_vector: Options for specifying which vectors to include into the response. Default is false.
   *     - with_payload: Options for specifying which payload to include or not. Default is false.
   *     - lookup_from: The location to use for IDs lookup, if not specified - use the current collection and the 'using' vector Note: the other collection vectors should have the same vector size as the 'using' vector in the current collection.
   * @returns Operation result
   */
  async query(collection_name, { consistency, timeout, shard_key, prefetch, query, using, filter, params, score_threshold, limit, offset, with_vector, with_payload, lookup_from }) {
    const response = await this._openApiClient.queryPoints({
      collection_name,
      consistency,
      timeout,
      shard_key,
      prefetch,
      query,
      using,
      filter,
      params,
      score_threshold,
      limit,
      offset,
      with_vector,
      with_payload,
      lookup_from
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Query points in batch
   * @description Universally query points in batch. This endpoint covers all capabilities of search, recommend, discover, filters. But also enables hybrid and multi-stage queries.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - searches: List of queries
   * @returns Operation result
   */
  async queryBatch(collection_name, { consistency, timeout, searches }) {
    const response = await this._openApiClient.queryBatchPoints({
      collection_name,
      consistency,
      timeout,
      searches
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Query points, grouped by a given payload field
   * @description Universally query points, grouped by a given payload field
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards.
   *     - prefetch: Sub-requests to perform first. If present, the query will be performed on the results of the prefetch(es).
   *     - query: Query to perform. If missing without prefetches, returns points ordered by their IDs.
   *     - using: Define which vector name to use for querying. If missing, the default vector is used.
   *     - filter: Filter conditions - return only those points that satisfy the specified conditions.
   *     - params: Search params for when there is no prefetch
   *     - score_threshold: Return points with scores better than this threshold.
   *     - with_vector: Options for specifying which vectors to include into the response. Default is false.
   *     - with_payload: Options for specifying which payload to include or not. Default is false.
   *     - group_by: Payload field to group by, must be a string or number field. If the field contains more than 1 value, all values will be used for grouping. One point can be in multiple groups.
   *     - group_size: Maximum amount of points to return per group. Default is 3.
   *     - limit: Maximum amount of groups to return. Default is 10.
   *     - with_lookup: Look for points in another collection using the group ids.
   * @returns Operation result
   */
  async queryGroups(collection_name, { consistency, timeout, shard_key, prefetch, query, using, filter, params, score_threshold, with_vector, with_payload, group_by, group_size, limit, with_lookup }) {
    const response = await this._openApiClient.queryPointsGroups({
      collection_name,
      consistency,
      timeout,
      shard_key,
      prefetch,
      query,
      using,
      filter,
      params,
      score_threshold,
      with_vector,
      with_payload,
      group_by,
      group_size,
      limit,
      with_lookup
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Facet a payload key with a given filter.
   * @description Count points that satisfy the given filter for each unique value of a payload key.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards.
   *     - key: Payload key to use for faceting.
   *     - limit: Max number of hits to return. Default is 10.
   *     - filter: Filter conditions - only consider points that satisfy these conditions.
   *     - exact: Whether to do a more expensive exact count for each of the values in the facet. Default is false.
   * @returns Operation result
   */
  async facet(collection_name, { consistency, timeout, shard_key, key, limit, filter, exact }) {
    const response = await this._openApiClient.facet({
      collection_name,
      consistency,
      timeout,
      shard_key,
      key,
      limit,
      filter,
      exact
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Search points matrix distance pairs.
   * @description Compute distance matrix for sampled points with a pair based output format.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards.
   *     - filter: Look only for points which satisfies this conditions.
   *     - sample: How many points to select and search within. Default is 10.
   *     - limit: How many neighbours per sample to find. Default is 3.
   *     - using: Define which vector name to use for querying. If missing, the default vector is used.
   * @returns Operation result
   */
  async searchMatrixPairs(collection_name, { consistency, timeout, shard_key, filter, sample, limit, using }) {
    const response = await this._openApiClient.searchMatrixPairs({
      collection_name,
      consistency,
      timeout,
      shard_key,
      filter,
      sample,
      limit,
      using
    });
    return response.data.result ?? noResultError();
  }
  /**
   * Search points matrix distance offsets.
   * @description Compute distance matrix for sampled points with an offset based output format.
   * @param collection_name Name of the collection
   * @param {object} args -
   *     - consistency: Read consistency of the search. Defines how many replicas should be queried before returning the result.
   *         Values:
   *             number - number of replicas to query, values should present in all queried replicas
   *             'majority' - query all replicas, but return values present in the majority of replicas
   *             'quorum' - query the majority of replicas, return values present in all of them
   *             'all' - query all replicas, and return values present in all replicas
   *     - timeout: If set, overrides global timeout setting for this request. Unit is seconds.
   *     - shard_key: Specify in which shards to look for the points, if not specified - look in all shards.
   *     - filter: Look only for points which satisfies this conditions.
   *     - sample: How many points to select and search within. Default is 10.
   *     - limit: How many neighbours per sample to find. Default is 3.
   *     - using: Define which vector name to use for querying. If missing, the default vector is used.
   * @returns Operation result
   */
  async searchMatrixOffsets(collection_name, { consistency, timeout, shard_key, filter, sample, limit, using }) {
    const response = await this._openApiClient.searchMatrixOffsets({
      collection_name,
      consistency,
      timeout,
      shard_key,
      filter,
      sample,
      limit,
      using
    });
    return response.data.result ?? noResultError();
  }
};

// src/stores/qdrant/json.ts
import { randomBytes } from "node:crypto";
var JsonFloat = class {
  constructor(value) {
    this.value = value;
  }
  value;
};
var RawJson = class {
  constructor(text) {
    this.text = text;
  }
  text;
};
function parseLossless(text) {
  const n = text.length;
  let parts;
  let tag = "";
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i) + 1;
      continue;
    }
    if (c !== 45 && (c < 48 || c > 57)) {
      i++;
      continue;
    }
    const start = i;
    let intDigits = c === 45 ? 0 : 1;
    let dot = false;
    let exp = false;
    let nonZeroFraction = false;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d >= 48 && d <= 57) {
        if (exp) continue;
        if (dot) nonZeroFraction ||= d !== 48;
        else intDigits++;
      } else if (d === 46) dot = true;
      else if (d === 101 || d === 69 || (d === 43 || d === 45) && exp) exp = true;
      else break;
    }
    let kind = "";
    if (exp) kind = Number.isInteger(Number(text.slice(start, i))) ? "f" : "";
    else if (dot) kind = nonZeroFraction ? "" : "f";
    else if (intDigits >= 16 && !Number.isSafeInteger(Number(text.slice(start, i)))) kind = "i";
    if (!kind) continue;
    if (!parts) {
      parts = [];
      tag = `\\u0000${randomBytes(8).toString("hex")}:`;
    }
    parts.push(text.slice(last, start), `"${tag}${kind}${text.slice(start, i)}"`);
    last = i;
  }
  if (!parts) return JSON.parse(text);
  parts.push(text.slice(last));
  const marker = JSON.parse(`"${tag}"`);
  return untag(JSON.parse(parts.join("")), marker);
}
function stringEnd(text, open) {
  let j = text.indexOf('"', open + 1);
  for (; ; ) {
    if (j < 0) return text.length;
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
}
function untag(v, marker) {
  if (typeof v === "string") {
    if (!v.startsWith(marker)) return v;
    const token = v.slice(marker.length + 1);
    return v[marker.length] === "f" ? new JsonFloat(Number(token)) : BigInt(token);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = untag(v[i], marker);
  } else if (v !== null && typeof v === "object" && !(v instanceof JsonFloat)) {
    for (const k of Object.keys(v)) v[k] = untag(v[k], marker);
  }
  return v;
}
function writeNumber(n) {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as JSON`);
  return JSON.stringify(n);
}
function writeFloat(n) {
  if (Object.is(n, -0)) return "-0.0";
  const s = writeNumber(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
function stringifyLossless(value, sortKeys = false) {
  const out = [];
  write(value, out, sortKeys);
  return out.join("");
}
function write(value, out, sortKeys) {
  if (value === null || value === void 0) {
    out.push("null");
  } else if (typeof value === "string") {
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    out.push(writeNumber(value));
  } else if (typeof value === "bigint") {
    out.push(value.toString());
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (value instanceof JsonFloat) {
    out.push(writeFloat(value.value));
  } else if (value instanceof RawJson) {
    out.push(value.text);
  } else if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === "number")) {
      out.push(JSON.stringify(value));
      return;
    }
    out.push("[");
    value.forEach((v, i) => {
      if (i > 0) out.push(",");
      write(v, out, sortKeys);
    });
    out.push("]");
  } else if (typeof value === "object") {
    const keys = Object.keys(value).filter((k) => value[k] !== void 0);
    if (sortKeys) keys.sort();
    out.push("{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(k), ":");
      write(value[k], out, sortKeys);
    });
    out.push("}");
  } else {
    throw new Error(`cannot write a ${typeof value} as JSON`);
  }
}
function toNumber(v) {
  if (typeof v === "number") return v;
  if (v instanceof JsonFloat) return v.value;
  if (typeof v === "bigint") return Number(v);
  throw new Error(`expected a number, got ${typeof v}`);
}

// src/stores/qdrant/api.ts
var QdrantHttpError = class extends Error {
  constructor(status, serverMessage2) {
    super(`HTTP ${status}: ${serverMessage2}`);
    this.status = status;
    this.serverMessage = serverMessage2;
    this.name = "QdrantHttpError";
  }
  status;
  serverMessage;
};
var NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET"
]);
var TLS_CODES = /* @__PURE__ */ new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER"
]);
function errorCode(err) {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const code = e.code;
    if (typeof code === "string") return code;
    const inner = e.errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const c = errorCode(inner[0]);
      if (c) return c;
    }
    e = e.cause;
  }
  return void 0;
}
function httpFailure(err) {
  if (err instanceof QdrantHttpError) return { status: err.status, message: err.serverMessage };
  const e = err;
  if (typeof e?.status === "number" && "data" in e) {
    return { status: e.status, message: serverMessage(e.data, String(e.statusText ?? "")) };
  }
  return void 0;
}
function serverMessage(data, fallback) {
  if (typeof data === "string" && data.trim()) return data.trim().slice(0, 500);
  const error = data?.status?.error;
  if (typeof error === "string") return error;
  return fallback || "no error text";
}
function isTransient(err) {
  const http = httpFailure(err);
  if (http) return http.status >= 500 || http.status === 429 || http.status === 408;
  const code = errorCode(err);
  if (code && (NETWORK_CODES.has(code) || code === "ERR_STREAM_PREMATURE_CLOSE")) return true;
  if (err?.name === "TimeoutError") return true;
  return err instanceof Error && /aborted|terminated|socket hang up|other side closed/i.test(err.message);
}
var trusted = /* @__PURE__ */ new Set();
function trustCa(conn) {
  if (!conn.caFile || trusted.has(conn.caFile)) return;
  let pem;
  try {
    pem = readFileSync(conn.caFile, "utf8");
  } catch (err) {
    throw new BackdrillError(
      "usage",
      `store ${conn.store}: cannot read tls.caFile ${conn.caFile}: ${errorCode(err) ?? err}`,
      {
        hint: "point tls.caFile at the PEM file of the CA that signed the Qdrant server certificate"
      }
    );
  }
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), pem]);
  trusted.add(conn.caFile);
}
var QdrantApi = class _QdrantApi {
  constructor(conn) {
    this.conn = conn;
    trustCa(conn);
    this.base = new URL(conn.url);
    const prefix = this.base.pathname.replace(/\/+$/, "");
    this.client = new QdrantClient({
      url: this.base.origin,
      ...prefix ? { prefix } : {},
      ...conn.apiKey ? { headers: { "api-key": conn.apiKey } } : {},
      timeout: conn.timeoutMs,
      checkCompatibility: false
    });
  }
  conn;
  client;
  base;
  get where() {
    return redactUrl(this.conn.url);
  }
  /** Turns any failure into a BackdrillError naming the store, the server and what to do. */
  explain(err, ctx) {
    if (err instanceof BackdrillError) return err;
    const at = `store ${this.conn.store}: Qdrant at ${this.where}`;
    const http = httpFailure(err);
    if (http?.status === 401 || http?.status === 403) {
      return new BackdrillError(
        "usage",
        `${at} rejected the request while ${ctx.doing}: HTTP ${http.status} (${http.message})`,
        {
          cause: err,
          hint: this.conn.apiKey ? "check the apiKey of this store in backdrill.yml: it must be a valid key, and a read-write key for snapshots and restores" : (
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} the user writes in backdrill.yml
            "the server requires an API key: add apiKey: ${QDRANT_API_KEY} to this store in backdrill.yml and set the variable"
          )
        }
      );
    }
    if (http?.status === 404 && ctx.collection !== void 0 && /collection/i.test(http.message)) {
      return new BackdrillError("usage", `${at} has no collection "${ctx.collection}" (${http.message})`, {
        cause: err,
        hint: "check `collections` of this store in backdrill.yml (backdrill probe lists what the server has)"
      });
    }
    if (http) {
      return new BackdrillError("fatal", `${at} answered HTTP ${http.status} while ${ctx.doing}: ${http.message}`, {
        cause: err
      });
    }
    if (err instanceof QdrantClientTimeoutError || errorCode(err) === "ABORT_ERR" || err?.name === "TimeoutError") {
      return new BackdrillError(
        "fatal",
        `${at} did not answer within ${this.conn.timeoutMs / 1e3} s while ${ctx.doing}`,
        {
          cause: err,
          hint: "raise timeoutSeconds of this store in backdrill.yml if the server is busy or the collection large"
        }
      );
    }
    const code = errorCode(err);
    if (code && TLS_CODES.has(code)) {
      return new BackdrillError("usage", `${at}: TLS failed while ${ctx.doing} (${code})`, {
        cause: err,
        hint: code === "ERR_SSL_WRONG_VERSION_NUMBER" ? "the server does not speak TLS on this port: use an http:// URL, or enable TLS on the server" : "set tls.caFile of this store to the PEM file of the CA that signed the server's certificate"
      });
    }
    if (code && NETWORK_CODES.has(code)) {
      return new BackdrillError("usage", `${at} is unreachable (${code}) while ${ctx.doing}`, {
        cause: err,
        hint: "check the url of this store in backdrill.yml, and that the server is running and reachable from here"
      });
    }
    return new BackdrillError("fatal", `${at}: ${err?.message ?? String(err)} while ${ctx.doing}`, {
      cause: err
    });
  }
  /** Runs a client call, translating its failure. */
  async call(ctx, fn) {
    try {
      return await fn(this.client);
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }
  url(path, query) {
    const u = new URL(this.base.toString().replace(/\/+$/, "") + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== void 0) u.searchParams.set(k, v);
    return u;
  }
  headers(extra = {}) {
    return { ...this.conn.apiKey ? { "api-key": this.conn.apiKey } : {}, ...extra };
  }
  /** Opens a request; resolves with the response once its headers arrive. */
  open(method, url, headers, body, timeoutMs) {
    const options = { method, headers };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, options, resolve);
      req.once("error", reject);
      if (timeoutMs) {
        req.setTimeout(
          timeoutMs,
          () => req.destroy(Object.assign(new Error("request timed out"), { name: "TimeoutError" }))
        );
      }
      if (body === void 0) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else pipeline(Readable.from(body), req).catch((err) => req.destroy(err));
    });
  }
  static async readAll(res) {
    const parts = [];
    for await (const p of res) parts.push(p);
    return Buffer.concat(parts).toString("utf8");
  }
  static async failOnStatus(res) {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return;
    const text = await _QdrantApi.readAll(res).catch(() => "");
    let data = text;
    try {
      data = JSON.parse(text);
    } catch {
    }
    throw new QdrantHttpError(status, serverMessage(data, res.statusMessage ?? ""));
  }
  /**
   * A JSON request whose body and answer go through the lossless JSON module (the client's JSON.parse would turn
   * 1.0 into 1). Returns the `result` member.
   */
  async json(method, path, ctx, body, query) {
    try {
      const payload = body === void 0 ? void 0 : Buffer.from(stringifyLossless(body), "utf8");
      const res = await this.open(
        method,
        this.url(path, query),
        this.headers(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
        payload,
        this.conn.timeoutMs
      );
      await _QdrantApi.failOnStatus(res);
      const parsed = parseLossless(await _QdrantApi.readAll(res));
      return parsed.result ?? null;
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }
  /**
   * Streams a snapshot file. A connection cut mid-stream is resumed from the byte reached (HTTP Range), or, when
   * the server ignores Range, by reading again and checking that the bytes already yielded are the same ones; the
   * whole file is then checked against the size and SHA-256 the server reported when it created the snapshot.
   * Yields each byte exactly once, so one repository artifact receives the file however often it was retried.
   */
  async *download(path, expected, retries, ctx) {
    const hash = createHash("sha256");
    let offset = 0;
    let failures = 0;
    for (; ; ) {
      let res;
      try {
        const range = offset > 0 ? { range: `bytes=${offset}-` } : {};
        res = await this.open("GET", this.url(path), this.headers(range), void 0, this.conn.timeoutMs);
        let skip = 0;
        let prefix;
        let expectedPrefix;
        if (offset > 0 && res.statusCode === 206) {
          const start = /^bytes (\d+)-/.exec(String(res.headers["content-range"] ?? ""))?.[1];
          if (Number(start) !== offset) {
            throw new BackdrillError("integrity", `the server resumed ${path} at byte ${start}, not at ${offset}`);
          }
        } else {
          await _QdrantApi.failOnStatus(res);
          if (offset > 0) {
            skip = offset;
            prefix = createHash("sha256");
            expectedPrefix = hash.copy().digest("hex");
          }
        }
        for await (const piece of res) {
          let buf = piece;
          if (skip > 0) {
            const n = Math.min(skip, buf.length);
            prefix.update(buf.subarray(0, n));
            skip -= n;
            buf = buf.subarray(n);
            if (skip === 0 && prefix.digest("hex") !== expectedPrefix) {
              throw new BackdrillError("integrity", `${path} changed on the server while it was being downloaded`);
            }
            if (buf.length === 0) continue;
          }
          hash.update(buf);
          offset += buf.length;
          yield buf;
        }
        if (skip > 0)
          throw Object.assign(new Error("aborted: shorter than the part already downloaded"), { code: "ECONNRESET" });
        if (expected.size !== void 0 && offset < expected.size) {
          throw Object.assign(new Error(`aborted: the download ended at byte ${offset} of ${expected.size}`), {
            code: "ECONNRESET"
          });
        }
        break;
      } catch (err) {
        res?.destroy();
        if (err instanceof BackdrillError || !isTransient(err) || failures >= retries) {
          const e = this.explain(err, ctx);
          if (failures > 0 && !(err instanceof BackdrillError)) e.message += ` (after ${failures} resumed attempt(s))`;
          throw e;
        }
        failures++;
        await sleep(Math.min(200 * 2 ** failures, 5e3));
      }
    }
    const sha = hash.digest("hex");
    if (expected.size !== void 0 && offset !== expected.size) {
      throw new BackdrillError(
        "integrity",
        `store ${this.conn.store}: ${path} has ${offset} bytes, the server announced ${expected.size}`
      );
    }
    if (expected.checksum && expected.checksum.toLowerCase() !== sha) {
      throw new BackdrillError(
        "integrity",
        `store ${this.conn.store}: ${path} has SHA-256 ${sha}, the server announced ${expected.checksum}`,
        { hint: "the snapshot was damaged in transit or on the server; run the backup again" }
      );
    }
  }
  /** Uploads a snapshot file as multipart/form-data (field "snapshot"), streamed, with its exact length. */
  async upload(path, query, file, ctx) {
    const boundary = `backdrill-${createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 24)}`;
    const head = Buffer.from(
      `--${boundary}\r
Content-Disposition: form-data; name="snapshot"; filename="${file.name.replace(/"/g, "")}"\r
Content-Type: application/octet-stream\r
\r
`
    );
    const tail = Buffer.from(`\r
--${boundary}--\r
`);
    async function* body() {
      yield head;
      let sent = 0;
      for await (const b of file.bytes) {
        sent += b.length;
        yield b;
      }
      if (sent !== file.size) throw new Error(`the artifact has ${sent} bytes, expected ${file.size}`);
      yield tail;
    }
    try {
      const res = await this.open(
        "POST",
        this.url(path, query),
        this.headers({
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(head.length + file.size + tail.length)
        }),
        body(),
        this.conn.timeoutMs
      );
      await _QdrantApi.failOnStatus(res);
      const parsed = parseLossless(await _QdrantApi.readAll(res));
      return parsed.result ?? null;
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }
};

// src/stores/qdrant/canonical.ts
function f32Hex(values) {
  const arr = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) arr[i] = toNumber(values[i]);
  return Buffer.from(arr.buffer).toString("hex");
}
function canonicalVector(v) {
  if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) return `m:${v.map((row) => f32Hex(row)).join(",")}`;
    return `d:${f32Hex(v)}`;
  }
  if (v !== null && typeof v === "object" && "indices" in v && "values" in v) {
    const { indices, values } = v;
    const pairs = indices.map((ix, i) => [toNumber(ix), values[i]]).sort((a, b) => a[0] - b[0]);
    return `s:${pairs.map((p) => p[0]).join(",")}|${f32Hex(pairs.map((p) => p[1]))}`;
  }
  throw new Error(`unrecognised vector ${stringifyLossless(v).slice(0, 80)}`);
}
function canonicalVectors(vector) {
  if (vector === null || vector === void 0) return {};
  if (Array.isArray(vector)) return { "": canonicalVector(vector) };
  const out = {};
  for (const [name, v] of Object.entries(vector)) {
    if (v !== null && v !== void 0) out[name] = canonicalVector(v);
  }
  return out;
}
function canonicalPoint(p) {
  const id = typeof p.id === "string" ? `u:${p.id.toLowerCase()}` : `n:${p.id.toString()}`;
  return stringifyLossless({ id, payload: p.payload ?? {}, vectors: canonicalVectors(p.vector) }, true);
}
function dropNulls(value) {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === "object" && !(value instanceof JsonFloat)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== void 0) out[k] = dropNulls(v);
    return out;
  }
  return value;
}
function configDigest(config) {
  const relevant = {
    params: config.params,
    hnsw_config: config.hnsw_config,
    quantization_config: config.quantization_config ?? null,
    metadata: config.metadata ?? null
  };
  return digestOf(stringifyLossless(dropNulls(relevant), true));
}
function payloadIndexDigest(info) {
  return digestOf(stringifyLossless(dropNulls({ data_type: info.data_type, params: info.params ?? null }), true));
}
function aliasDigest(collection) {
  return digestOf(`alias->${collection}`);
}
var printNames = {
  collection: (c) => `collection ${c}`,
  config: (c) => `collection ${c} config`,
  payloadIndex: (c, field) => `payload index ${c}.${field}`,
  alias: (a) => `alias ${a}`
};

// src/stores/qdrant/collections.ts
var enc = encodeURIComponent;
async function collectionNames(api) {
  const r = await api.call({ doing: "listing collections" }, (c) => c.getCollections());
  return r.collections.map((c) => c.name).sort();
}
async function collectionInfo(api, name) {
  const ctx = { doing: `reading collection ${name}`, collection: name };
  return await api.json("GET", `/collections/${enc(name)}`, ctx);
}
async function collectionExists(api, name) {
  const r = await api.call({ doing: `checking whether collection ${name} exists` }, (c) => c.collectionExists(name));
  return r.exists;
}
async function aliasesOf(api) {
  const r = await api.call({ doing: "listing aliases" }, (c) => c.getAliases());
  return r.aliases.map((a) => ({ alias: a.alias_name, collection: a.collection_name })).sort((a, b) => a.alias.localeCompare(b.alias));
}
async function exactCount(api, name) {
  const r = await api.call(
    { doing: `counting points of ${name}`, collection: name },
    (c) => c.count(name, { exact: true })
  );
  return r.count;
}
async function* scrollPoints(api, name, batchSize) {
  let offset;
  let previous = "";
  do {
    const body = { limit: batchSize, with_payload: true, with_vector: true, ...offset == null ? {} : { offset } };
    const ctx = { doing: `reading points of ${name}`, collection: name };
    const page = await api.json("POST", `/collections/${enc(name)}/points/scroll`, ctx, body);
    yield page.points;
    offset = page.next_page_offset;
    const key = stringifyLossless(offset ?? null);
    if (offset != null && key === previous) {
      throw new BackdrillError(
        "fatal",
        `reading points of ${name}: the server returned the same next_page_offset ${key} twice`
      );
    }
    previous = key;
  } while (offset !== null && offset !== void 0);
}
function schemaPrint(name, info) {
  const schema = { [printNames.config(name)]: configDigest(info.config) };
  for (const [field, idx] of Object.entries(info.payload_schema)) {
    if (idx) schema[printNames.payloadIndex(name, field)] = payloadIndexDigest(idx);
  }
  return schema;
}
async function printCollection(api, name, batchSize) {
  const info = await collectionInfo(api, name);
  const set = new SetHash();
  for await (const page of scrollPoints(api, name, batchSize)) for (const p of page) set.add(canonicalPoint(p));
  return { info, data: set.digest(), schema: schemaPrint(name, info) };
}
function addToFingerprint(fp, name, print) {
  fp.data[printNames.collection(name)] = print.data;
  Object.assign(fp.schema, print.schema);
}
function addAliases(fp, aliases, names) {
  for (const a of aliases)
    if (names.has(a.collection)) fp.schema[printNames.alias(a.alias)] = aliasDigest(a.collection);
}
var UPDATE_ONLY_PARAMS = ["read_fan_out_factor", "read_fan_out_delay_ms"];
function createRequest(config) {
  const p = config.params;
  return dropNulls({
    vectors: p.vectors,
    sparse_vectors: p.sparse_vectors,
    shard_number: p.shard_number,
    sharding_method: p.sharding_method,
    replication_factor: p.replication_factor,
    write_consistency_factor: p.write_consistency_factor,
    on_disk_payload: p.on_disk_payload,
    payload: p.payload,
    hnsw_config: config.hnsw_config,
    optimizers_config: config.optimizer_config,
    wal_config: config.wal_config,
    quantization_config: config.quantization_config,
    strict_mode_config: config.strict_mode_config,
    metadata: config.metadata
  });
}
async function createCollection(api, name, config) {
  const ctx = { doing: `creating collection ${name}` };
  await api.json("PUT", `/collections/${enc(name)}`, ctx, createRequest(config));
  const p = config.params;
  const later = Object.fromEntries(UPDATE_ONLY_PARAMS.filter((k) => p[k] != null).map((k) => [k, p[k]]));
  if (Object.keys(later).length > 0) await api.json("PATCH", `/collections/${enc(name)}`, ctx, { params: later });
}
async function createPayloadIndexes(api, name, schema) {
  const failures = [];
  for (const [field, idx] of Object.entries(schema).sort(([a], [b]) => a.localeCompare(b))) {
    if (!idx) continue;
    try {
      await api.json(
        "PUT",
        `/collections/${enc(name)}/index`,
        { doing: `creating payload index ${name}.${field}` },
        { field_name: field, field_schema: idx.params ?? idx.data_type },
        { wait: "true" }
      );
    } catch (err) {
      failures.push(`payload index ${name}.${field}: ${err.message}`);
    }
  }
  return failures;
}
async function createAlias(api, alias, collection, replace) {
  const actions = [];
  if (replace) actions.push({ delete_alias: { alias_name: alias } });
  actions.push({ create_alias: { collection_name: collection, alias_name: alias } });
  await api.json("POST", "/collections/aliases", { doing: `creating alias ${alias}` }, { actions });
}
async function* lines(source) {
  let rest = Buffer.alloc(0);
  for await (const chunk of source) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let nl = buf.indexOf(10);
    while (nl >= 0) {
      if (nl > 0) yield buf.toString("utf8", 0, nl);
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(10);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length > 0) yield rest.toString("utf8");
}
var MAX_BATCH_BYTES = 8 * 1024 * 1024;
async function upsertLines(api, name, source, batchSize) {
  let batch = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const body = { points: batch.map((l) => new RawJson(l)) };
    const r = await api.json(
      "PUT",
      `/collections/${enc(name)}/points`,
      { doing: `writing points ${written + 1}..${written + batch.length} of ${name}` },
      body,
      {
        wait: "true"
      }
    );
    if (r?.status !== "completed") {
      throw new Error(
        `the server answered status "${r?.status}" for points ${written + 1}..${written + batch.length}, not "completed"`
      );
    }
    written += batch.length;
    batch = [];
    bytes = 0;
  };
  for await (const line of source) {
    batch.push(line);
    bytes += Buffer.byteLength(line);
    if (batch.length >= batchSize || bytes >= MAX_BATCH_BYTES) await flush();
  }
  await flush();
  return written;
}

// src/stores/qdrant/manifest.ts
var MANIFEST_ARTIFACT = "manifest.json";
var FULL_STORAGE_ARTIFACT = "storage/full.snapshot";
var artifactNames = {
  logical: (c) => `collections/${encodeURIComponent(c)}.jsonl`,
  snapshot: (c) => `collections/${encodeURIComponent(c)}.snapshot`,
  shard: (c, shard) => `collections/${encodeURIComponent(c)}/shards/${shard}.snapshot`
};
var SnapshotFile = external_exports.object({
  artifact: external_exports.string(),
  /** The snapshot's name on the server when it was taken (deleted there since). */
  name: external_exports.string(),
  size: external_exports.number().int().nonnegative(),
  /** SHA-256 the server reported; passed back as `checksum` on upload so the server verifies it too. */
  checksum: external_exports.string().nullable()
});
var CollectionEntry = external_exports.object({
  name: external_exports.string().min(1),
  /** CollectionConfig as the server reported it. */
  config: external_exports.record(external_exports.string(), external_exports.unknown()),
  payloadSchema: external_exports.record(external_exports.string(), external_exports.object({ data_type: external_exports.string(), params: external_exports.unknown().optional() }).loose()),
  points: external_exports.number().int().nonnegative(),
  /** Logical mode: the JSON-lines artifact of the points. */
  points_artifact: external_exports.string().optional(),
  /** Snapshot mode: one collection snapshot ... */
  snapshot: SnapshotFile.optional(),
  /** ... or, on a cluster, one snapshot per shard. */
  shards: external_exports.array(SnapshotFile.extend({ shard: external_exports.number().int().nonnegative() })).optional()
});
var QdrantManifest = external_exports.object({
  format: external_exports.literal("backdrill-qdrant/1"),
  mode: external_exports.enum(["snapshot", "logical"]),
  serverVersion: external_exports.string(),
  cluster: external_exports.boolean(),
  collections: external_exports.array(CollectionEntry),
  aliases: external_exports.array(external_exports.object({ alias: external_exports.string(), collection: external_exports.string() })),
  fullStorage: SnapshotFile.nullable()
});

// src/stores/qdrant/snapshots.ts
function described(d, what) {
  if (!d?.name) {
    throw new BackdrillError(
      "fatal",
      `the server did not describe the snapshot of ${what} it was asked to create (wait=true)`
    );
  }
  return d;
}
async function snapshotCollection(api, collection, artifact) {
  const d = described(
    await api.call(
      { doing: `creating a snapshot of collection ${collection}`, collection },
      (c) => c.createSnapshot(collection, { wait: true })
    ),
    `collection ${collection}`
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    api,
    downloadPath: `/collections/${enc(collection)}/snapshots/${enc(d.name)}`,
    remove: () => api.call(
      { doing: `deleting snapshot ${d.name} of ${collection}`, collection },
      (c) => c.deleteSnapshot(collection, d.name, { wait: true })
    ).then(() => void 0)
  };
}
async function snapshotShard(api, collection, shard, artifact) {
  const d = described(
    await api.call(
      { doing: `creating a snapshot of shard ${shard} of collection ${collection}`, collection },
      (c) => c.createShardSnapshot(collection, shard, { wait: true })
    ),
    `shard ${shard} of ${collection}`
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    shard,
    api,
    downloadPath: `/collections/${enc(collection)}/shards/${shard}/snapshots/${enc(d.name)}`,
    remove: () => api.call(
      { doing: `deleting snapshot ${d.name} of shard ${shard} of ${collection}`, collection },
      (c) => c.deleteShardSnapshot(collection, shard, d.name, { wait: true })
    ).then(() => void 0)
  };
}
async function snapshotFullStorage(api, artifact) {
  const d = described(
    await api.call({ doing: "creating a full-storage snapshot" }, (c) => c.createFullSnapshot({ wait: true })),
    "the full storage"
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    api,
    downloadPath: `/snapshots/${enc(d.name)}`,
    remove: () => api.call(
      { doing: `deleting full-storage snapshot ${d.name}` },
      (c) => c.deleteFullSnapshot(d.name, { wait: true })
    ).then(() => void 0)
  };
}
async function shardHolders(apis, collection) {
  const holders = /* @__PURE__ */ new Map();
  let shardCount = 0;
  for (const api of apis) {
    const info = await api.call(
      { doing: `reading the shard layout of ${collection}`, collection },
      (c) => c.collectionClusterInfo(collection)
    );
    shardCount = Math.max(shardCount, info.shard_count);
    for (const s of info.local_shards) {
      if (s.state === "Active" && !holders.has(s.shard_id)) holders.set(s.shard_id, api);
    }
  }
  const missing = [];
  for (let i = 0; i < shardCount; i++) if (!holders.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new BackdrillError(
      "usage",
      `store ${apis[0].conn.store}: no reachable node holds an active replica of shard(s) ${missing.join(", ")} of collection ${collection}`,
      {
        hint: "list the REST URLs of every cluster node under `nodes` of this store in backdrill.yml, or use mode: logical (it reads through any node)"
      }
    );
  }
  return holders;
}
function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : void 0;
}
function checkSnapshotVersion(store, recorded, target, where) {
  const r = parseVersion(recorded);
  const t = parseVersion(target);
  const ok = r && t ? r.major === t.major && r.minor === t.minor && t.patch >= r.patch : recorded === target;
  if (ok) return;
  const series = r ? `${r.major}.${r.minor}.x with x >= ${r.patch}` : recorded;
  throw new BackdrillError(
    "usage",
    `store ${store}: the backup holds native snapshots written by Qdrant ${recorded}; the target ${where} runs Qdrant ${target}. A snapshot restores only into the same minor version (${series}): its files are Qdrant's on-disk format, which changes between minor versions`,
    {
      hint: `restore into a Qdrant ${series} server (image qdrant/qdrant:v${recorded.replace(/^v/, "")}), or back this store up with mode: logical, which restores into any version`
    }
  );
}
async function uploadSnapshot(api, collection, file, bytes, shard) {
  const path = shard === void 0 ? `/collections/${enc(collection)}/snapshots/upload` : `/collections/${enc(collection)}/shards/${shard}/snapshots/upload`;
  const what = shard === void 0 ? `collection ${collection}` : `shard ${shard} of ${collection}`;
  const result = await api.upload(
    path,
    { priority: "snapshot", wait: "true", ...file.checksum ? { checksum: file.checksum } : {} },
    { name: file.name, size: file.size, bytes },
    { doing: `recovering ${what} from its snapshot` }
  );
  if (result !== true) {
    throw new BackdrillError(
      "fatal",
      `recovering ${what} from its snapshot: the server answered ${JSON.stringify(result)}, not true`
    );
  }
}

// src/stores/qdrant/adapter.ts
var STABLE_ATTEMPTS = 3;
function collectionsIn(source) {
  const names = /* @__PURE__ */ new Set();
  for (const n of source.names()) {
    const m = /^collections\/([^/]+?)(?:\.jsonl|\.snapshot|\/shards\/\d+\.snapshot)$/.exec(n);
    if (m) names.add(decodeURIComponent(m[1]));
  }
  return [...names].sort();
}
async function readManifest(source, store) {
  if (!source.names().includes(MANIFEST_ARTIFACT)) {
    throw new BackdrillError(
      "integrity",
      `store ${store}: the snapshot has no ${MANIFEST_ARTIFACT}; it is not a Qdrant backup`
    );
  }
  const parts = [];
  for await (const b of source.open(MANIFEST_ARTIFACT)) parts.push(b);
  const parsed = QdrantManifest.safeParse(parseLossless(Buffer.concat(parts).toString("utf8")));
  if (!parsed.success) {
    throw new BackdrillError(
      "integrity",
      `store ${store}: ${MANIFEST_ARTIFACT} is not valid: ${parsed.error.issues[0]?.message}`
    );
  }
  return parsed.data;
}
function samePrint(a, b) {
  return a.data.hash === b.data.hash && a.data.count === b.data.count && stringifyLossless(a.schema, true) === stringifyLossless(b.schema, true);
}
function message(err) {
  return err instanceof Error ? err.message : String(err);
}
var QdrantAdapter = class {
  constructor(config) {
    this.config = config;
    this.name = config.name;
    this.conn = {
      store: config.name,
      url: config.url,
      timeoutMs: config.timeoutSeconds * 1e3,
      ...config.apiKey ? { apiKey: config.apiKey } : {},
      ...config.tls.caFile ? { caFile: config.tls.caFile } : {}
    };
  }
  config;
  kind = "qdrant";
  name;
  conn;
  async serverVersion(api) {
    const info = await api.call({ doing: "reading the server version (GET /)" }, (c) => c.versionInfo());
    if (typeof info?.version !== "string" || !/qdrant/i.test(String(info.title ?? ""))) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: the server at ${api.where} does not look like Qdrant (GET / answered ${JSON.stringify(info).slice(0, 120)})`,
        {
          hint: "the url must be the REST endpoint of Qdrant (port 6333 by default)"
        }
      );
    }
    return info.version;
  }
  async clusterEnabled(api) {
    const r = await api.call({ doing: "reading the cluster status" }, (c) => c.api().clusterStatus({}));
    return r.data.result?.status === "enabled";
  }
  async probe() {
    const api = new QdrantApi(this.conn);
    const version = await this.serverVersion(api);
    const names = await collectionNames(api);
    const cluster = await this.clusterEnabled(api);
    const collections = [];
    for (const name of names) {
      const info = await collectionInfo(api, name);
      const layout = await api.call(
        { doing: `reading the shard layout of ${name}`, collection: name },
        (c) => c.collectionClusterInfo(name)
      );
      const params = info.config.params;
      collections.push({
        name,
        points: info.points_count ?? null,
        vectors: params.vectors ?? null,
        sparseVectors: Object.keys(params.sparse_vectors ?? {}),
        payloadIndexes: Object.keys(info.payload_schema).sort(),
        shards: {
          count: layout.shard_count,
          local: layout.local_shards.map((s) => s.shard_id),
          remote: layout.remote_shards.map((s) => ({ shard: s.shard_id, peer: s.peer_id }))
        },
        replicationFactor: params.replication_factor ?? 1,
        shardingMethod: params.sharding_method ?? "auto"
      });
    }
    const aliases = await aliasesOf(api);
    return { kind: this.kind, version, details: { url: api.where, cluster, collections, aliases } };
  }
  async backup(sink) {
    const api = new QdrantApi(this.conn);
    const nodes = this.config.nodes.map((url) => new QdrantApi({ ...this.conn, url }));
    return this.backupFrom(api, nodes, (all) => this.selectCollections(api, all), sink);
  }
  selectCollections(api, all) {
    const wanted = this.config.collections ?? all;
    const missing = wanted.filter((c) => !all.includes(c));
    if (missing.length > 0) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: collection(s) ${missing.join(", ")} do not exist on ${api.where}`,
        {
          hint: `the server has: ${all.join(", ") || "no collections"} (aliases are not collections: list the collection an alias points at)`
        }
      );
    }
    return wanted.filter((c) => !this.config.exclude.includes(c));
  }
  async backupFrom(api, nodes, select, sink) {
    const version = await this.serverVersion(api);
    const names = select(await collectionNames(api));
    const cluster = await this.clusterEnabled(api);
    const aliases = (await aliasesOf(api)).filter((a) => names.includes(a.collection));
    const fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const warnings = [];
    if (api.conn.apiKey && new URL(api.conn.url).protocol === "http:") {
      warnings.push(
        `${this.name}: the API key is sent over plain http to ${api.where}; use https outside a trusted network`
      );
    }
    const mode = this.config.mode;
    const entries = [];
    const details = [];
    let at;
    for (const name of names) {
      const started = (/* @__PURE__ */ new Date()).toISOString();
      at ??= started;
      const entry = mode === "logical" ? await this.exportCollection(api, name, sink, fingerprint, warnings) : await this.snapshotOne(api, [api, ...nodes], cluster, name, sink, fingerprint, warnings);
      entries.push(entry);
      details.push({
        collection: name,
        points: entry.points,
        at: started,
        ...entry.snapshot ? { snapshot: entry.snapshot.name, sha256: entry.snapshot.checksum } : {},
        ...entry.shards ? { shards: entry.shards.map((s) => ({ shard: s.shard, snapshot: s.name, sha256: s.checksum })) } : {}
      });
    }
    addAliases(fingerprint, aliases, new Set(names));
    let fullStorage = null;
    if (mode === "snapshot" && this.config.fullStorage) {
      if (cluster) {
        warnings.push(
          `${this.name}: fullStorage skipped: Qdrant's full-storage snapshots do not support distributed mode`
        );
      } else {
        fullStorage = await this.download(await snapshotFullStorage(api, FULL_STORAGE_ARTIFACT), sink, warnings);
      }
    }
    const manifest = {
      format: "backdrill-qdrant/1",
      mode,
      serverVersion: version,
      cluster,
      collections: entries,
      aliases,
      fullStorage
    };
    await sink.add(MANIFEST_ARTIFACT, [Buffer.from(stringifyLossless(manifest), "utf8")]);
    return {
      capture: {
        at: at ?? (/* @__PURE__ */ new Date()).toISOString(),
        serverVersion: version,
        details: {
          mode,
          cluster,
          collections: details,
          aliases: aliases.length,
          ...fullStorage ? { fullStorage: fullStorage.name } : {}
        }
      },
      fingerprint,
      warnings
    };
  }
  /** Logical export of one collection; the fingerprint is computed from exactly the points written. */
  async exportCollection(api, name, sink, fingerprint, warnings) {
    const info = await collectionInfo(api, name);
    if (info.config.params.sharding_method === "custom") {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: collection ${name} uses custom sharding (shard keys), which logical mode does not restore`,
        {
          hint: "back this store up with mode: snapshot"
        }
      );
    }
    const before = await exactCount(api, name);
    const set = new SetHash();
    const batchSize = this.config.batchSize;
    async function* pointLines() {
      for await (const page of scrollPoints(api, name, batchSize)) {
        if (page.length === 0) continue;
        const text = page.map((p) => {
          set.add(canonicalPoint(p));
          return stringifyLossless({ id: p.id, vector: p.vector ?? {}, payload: p.payload ?? {} });
        });
        yield Buffer.from(`${text.join("\n")}
`, "utf8");
      }
    }
    const artifact = artifactNames.logical(name);
    await sink.add(artifact, pointLines());
    const after = await exactCount(api, name);
    if (before !== set.count || after !== set.count) {
      warnings.push(
        `${this.name}: collection ${name} changed while it was exported (${before} points before, ${set.count} exported, ${after} after): a logical export is not a point-in-time copy; stop writers during backups for an exact one`
      );
    }
    addToFingerprint(fingerprint, name, { data: set.digest(), schema: schemaPrint(name, info) });
    return {
      name,
      config: info.config,
      payloadSchema: info.payload_schema,
      points: set.count,
      points_artifact: artifact
    };
  }
  /**
   * Native snapshot(s) of one collection. The fingerprint is read before and after the snapshot is taken: equal
   * prints mean the snapshot holds exactly that data. A collection that kept changing is retaken, then recorded
   * with a warning (its drill comparison may then report differences).
   */
  async snapshotOne(api, nodes, cluster, name, sink, fingerprint, warnings) {
    const batchSize = this.config.batchSize;
    const take = async () => {
      if (!cluster) return [await snapshotCollection(api, name, artifactNames.snapshot(name))];
      const holders = await shardHolders(nodes, name);
      const taken2 = [];
      try {
        for (const [shard, node] of [...holders].sort((a, b) => a[0] - b[0])) {
          taken2.push(await snapshotShard(node, name, shard, artifactNames.shard(name, shard)));
        }
      } catch (err) {
        await Promise.allSettled(taken2.map((t) => t.remove()));
        throw err;
      }
      return taken2;
    };
    let taken = [];
    let print;
    for (let attempt = 1; print === void 0; attempt++) {
      const before = await printCollection(api, name, batchSize);
      taken = await take();
      let after;
      try {
        after = await printCollection(api, name, batchSize);
      } catch (err) {
        await Promise.allSettled(taken.map((t) => t.remove()));
        throw err;
      }
      if (samePrint(before, after)) {
        print = after;
      } else if (attempt >= STABLE_ATTEMPTS) {
        print = after;
        warnings.push(
          `${this.name}: collection ${name} changed while its snapshot was taken (${STABLE_ATTEMPTS} attempts): the recorded fingerprint may differ from the snapshot; stop writers during backups for an exact one`
        );
      } else {
        await Promise.all(taken.map((t) => t.remove()));
      }
    }
    const files = [];
    try {
      for (const t of taken) files.push(await this.download(t, sink, warnings, false));
    } finally {
      for (const t of taken) {
        await t.remove().catch((err) => {
          warnings.push(
            `${this.name}: could not delete snapshot ${t.file.name} from ${t.api.where}: ${message(err)}; delete it by hand`
          );
        });
      }
    }
    addToFingerprint(fingerprint, name, print);
    const entry = {
      name,
      config: print.info.config,
      payloadSchema: print.info.payload_schema,
      points: print.data.count
    };
    if (cluster) {
      entry.shards = taken.map((t, i) => ({ ...files[i], shard: t.shard }));
    } else {
      entry.snapshot = files[0];
    }
    return entry;
  }
  /** Streams a remote snapshot into its artifact (resuming cut downloads); deletes it afterwards when asked. */
  async download(snapshot, sink, warnings, remove = true) {
    const { file } = snapshot;
    try {
      await sink.add(
        file.artifact,
        snapshot.api.download(
          snapshot.downloadPath,
          { size: file.size, checksum: file.checksum },
          this.config.downloadRetries,
          {
            doing: `downloading snapshot ${file.name}`
          }
        )
      );
    } finally {
      if (remove) {
        await snapshot.remove().catch((err) => {
          warnings.push(
            `${this.name}: could not delete snapshot ${file.name} from ${snapshot.api.where}: ${message(err)}; delete it by hand`
          );
        });
      }
    }
    return file;
  }
  target(spec, source) {
    if (spec !== void 0 && !/^https?:\/\/[^/]/.test(spec)) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: the restore target must be a Qdrant REST URL (http(s)://host:6333), got ${redactUrl(spec)}`
      );
    }
    return { conn: spec ? { ...this.conn, url: spec } : this.conn, collections: collectionsIn(source), source };
  }
  async targetIsEmpty(target) {
    const api = new QdrantApi(target.conn);
    const existing = new Set(await collectionNames(api));
    if (target.collections.some((c) => existing.has(c))) return false;
    if (!target.source.names().includes(MANIFEST_ARTIFACT)) return true;
    const manifest = await readManifest(target.source, this.name);
    const aliases = new Set((await aliasesOf(api)).map((a) => a.alias));
    return !manifest.aliases.some((a) => aliases.has(a.alias));
  }
  async backupTarget(target, sink) {
    const api = new QdrantApi(target.conn);
    return this.backupFrom(api, [], (all) => target.collections.filter((c) => all.includes(c)), sink);
  }
  async restore(source, target, options) {
    const manifest = await readManifest(source, this.name);
    const api = new QdrantApi(target.conn);
    const version = await this.serverVersion(api);
    if (manifest.mode === "snapshot") checkSnapshotVersion(this.name, manifest.serverVersion, version, api.where);
    const entries = manifest.collections.filter((c) => target.collections.includes(c.name));
    const present = new Set(await collectionNames(api));
    const clashes = entries.filter((e) => present.has(e.name)).map((e) => e.name);
    if (clashes.length > 0 && !options.force) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: collection(s) ${clashes.join(", ")} already exist on ${api.where}`,
        {
          hint: "restore into a server without them, or pass --force (they are saved as a safety snapshot first, then replaced)"
        }
      );
    }
    const warnings = [];
    const failures = [];
    const restored = /* @__PURE__ */ new Set();
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      try {
        if (present.has(entry.name)) {
          await api.call(
            { doing: `deleting collection ${entry.name} before the restore` },
            (c) => c.deleteCollection(entry.name)
          );
        }
        failures.push(...await this.restoreCollection(api, source, entry));
        const count = await exactCount(api, entry.name);
        if (count !== entry.points) {
          failures.push(`collection ${entry.name}: ${count} points after the restore, the backup has ${entry.points}`);
        } else {
          restored.add(entry.name);
        }
      } catch (err) {
        failures.push(`collection ${entry.name}: ${message(err)}`);
      }
    }
    const existingAliases = new Map((await aliasesOf(api)).map((a) => [a.alias, a.collection]));
    for (const a of manifest.aliases) {
      if (!target.collections.includes(a.collection)) continue;
      if (!restored.has(a.collection)) {
        failures.push(`alias ${a.alias}: not created, its collection ${a.collection} did not restore`);
        continue;
      }
      const current = existingAliases.get(a.alias);
      if (current === a.collection) continue;
      if (current !== void 0 && !options.force) {
        failures.push(`alias ${a.alias}: exists on the target and points at ${current} (pass --force to replace it)`);
        continue;
      }
      try {
        await createAlias(api, a.alias, a.collection, current !== void 0);
      } catch (err) {
        failures.push(`alias ${a.alias}: ${message(err)}`);
      }
    }
    if (manifest.fullStorage) {
      warnings.push(
        `${this.name}: ${FULL_STORAGE_ARTIFACT} was not applied: Qdrant restores a full-storage snapshot only at start-up (qdrant --storage-snapshot FILE; \`backdrill dump\` writes the file); the collections were restored from their own snapshots`
      );
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} object(s) failed to restore into ${api.where}`,
        failures
      );
    }
    return { warnings };
  }
  async restoreCollection(api, source, entry) {
    const config = entry.config;
    if (entry.snapshot) {
      await uploadSnapshot(api, entry.name, entry.snapshot, source.open(entry.snapshot.artifact));
      return [];
    }
    await createCollection(api, entry.name, config);
    const failures = await createPayloadIndexes(api, entry.name, entry.payloadSchema);
    if (entry.shards) {
      for (const s of entry.shards) {
        try {
          await uploadSnapshot(api, entry.name, s, source.open(s.artifact), s.shard);
        } catch (err) {
          failures.push(`collection ${entry.name} shard ${s.shard}: ${message(err)}`);
        }
      }
    } else if (entry.points_artifact) {
      await upsertLines(api, entry.name, lines(source.open(entry.points_artifact)), this.config.batchSize);
    }
    return failures;
  }
  async fingerprint(target) {
    const api = new QdrantApi(target.conn);
    const fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const names = new Set(target.collections);
    for (const name of target.collections) {
      if (!await collectionExists(api, name)) continue;
      addToFingerprint(fingerprint, name, await printCollection(api, name, this.config.batchSize));
    }
    addAliases(fingerprint, await aliasesOf(api), names);
    return fingerprint;
  }
};
export {
  QdrantAdapter
};
