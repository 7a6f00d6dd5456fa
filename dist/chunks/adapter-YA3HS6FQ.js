import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  wasmInstance
} from "./chunk-GU6IFKOM.js";
import {
  IncompleteRestoreError
} from "./chunk-AWV2AHQ3.js";
import {
  SetHash,
  UNCOMPARED,
  digestOf
} from "./chunk-Q43U3EN7.js";
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
} from "./chunk-IJAWSYU3.js";
import "./chunk-VJUWFMCE.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-B5MALTEK.js";

// node_modules/pg-copy-streams/obuf.js
var require_obuf = __commonJS({
  "node_modules/pg-copy-streams/obuf.js"(exports, module) {
    var Buffer2 = __require("buffer").Buffer;
    function OffsetBuffer() {
      this.offset = 0;
      this.size = 0;
      this.buffers = [];
    }
    module.exports = OffsetBuffer;
    OffsetBuffer.prototype.isEmpty = function isEmpty() {
      return this.size === 0;
    };
    OffsetBuffer.prototype.clone = function clone(size) {
      const r = new OffsetBuffer();
      r.offset = this.offset;
      r.size = size;
      r.buffers = this.buffers.slice();
      return r;
    };
    OffsetBuffer.prototype.toChunks = function toChunks() {
      if (this.size === 0) return [];
      if (this.offset !== 0) {
        this.buffers[0] = this.buffers[0].slice(this.offset);
        this.offset = 0;
      }
      const chunks = [];
      let off = 0;
      let i;
      for (i = 0; off <= this.size && i < this.buffers.length; i++) {
        let buf = this.buffers[i];
        off += buf.length;
        if (off > this.size) {
          buf = buf.slice(0, buf.length - (off - this.size));
          this.buffers[i] = buf;
        }
        chunks.push(buf);
      }
      if (i < this.buffers.length) this.buffers.length = i;
      return chunks;
    };
    OffsetBuffer.prototype.toString = function toString(enc) {
      return this.toChunks().map(function(c) {
        return c.toString(enc);
      }).join("");
    };
    OffsetBuffer.prototype.use = function use(buf, off, n) {
      this.buffers = [buf];
      this.offset = off;
      this.size = n;
    };
    OffsetBuffer.prototype.push = function push(data) {
      if (data.length === 0) return;
      this.size += data.length;
      this.buffers.push(data);
    };
    OffsetBuffer.prototype.has = function has(n) {
      return this.size >= n;
    };
    OffsetBuffer.prototype.skip = function skip(n) {
      if (this.size === 0) return;
      this.size -= n;
      if (this.offset + n < this.buffers[0].length) {
        this.offset += n;
        return;
      }
      let left = n - (this.buffers[0].length - this.offset);
      this.offset = 0;
      let shift;
      for (shift = 1; left > 0 && shift < this.buffers.length; shift++) {
        const buf = this.buffers[shift];
        if (buf.length > left) {
          this.offset = left;
          break;
        }
        left -= buf.length;
      }
      this.buffers = this.buffers.slice(shift);
    };
    OffsetBuffer.prototype.copy = function copy(target, targetOff, off, n) {
      if (this.size === 0) return;
      if (off !== 0) throw new Error("Unsupported offset in .copy()");
      let toff = targetOff;
      const first = this.buffers[0];
      const toCopy = Math.min(n, first.length - this.offset);
      first.copy(target, toff, this.offset, this.offset + toCopy);
      toff += toCopy;
      let left = n - toCopy;
      for (let i = 1; left > 0 && i < this.buffers.length; i++) {
        const buf = this.buffers[i];
        const toCopy2 = Math.min(left, buf.length);
        buf.copy(target, toff, 0, toCopy2);
        toff += toCopy2;
        left -= toCopy2;
      }
    };
    OffsetBuffer.prototype.take = function take(n) {
      if (n === 0) return Buffer2.alloc(0);
      this.size -= n;
      const first = this.buffers[0].length - this.offset;
      if (first === n) {
        let r = this.buffers.shift();
        if (this.offset !== 0) {
          r = r.slice(this.offset);
          this.offset = 0;
        }
        return r;
      } else if (first > n) {
        const r = this.buffers[0].slice(this.offset, this.offset + n);
        this.offset += n;
        return r;
      }
      const out = Buffer2.alloc(n);
      let toOff = 0;
      let startOff = this.offset;
      let i;
      for (i = 0; toOff !== n && i < this.buffers.length; i++) {
        const buf = this.buffers[i];
        const toCopy = Math.min(buf.length - startOff, n - toOff);
        buf.copy(out, toOff, startOff, startOff + toCopy);
        if (startOff + toCopy < buf.length) {
          this.offset = startOff + toCopy;
          break;
        } else {
          toOff += toCopy;
          startOff = 0;
        }
      }
      this.buffers = this.buffers.slice(i);
      if (this.buffers.length === 0) this.offset = 0;
      return out;
    };
    OffsetBuffer.prototype.peekUInt8 = function peekUInt8() {
      return this.buffers[0][this.offset];
    };
    OffsetBuffer.prototype.readUInt8 = function readUInt8() {
      this.size -= 1;
      const first = this.buffers[0];
      const r = first[this.offset];
      if (++this.offset === first.length) {
        this.offset = 0;
        this.buffers.shift();
      }
      return r;
    };
    OffsetBuffer.prototype.readUInt16LE = function readUInt16LE() {
      const first = this.buffers[0];
      this.size -= 2;
      let r;
      let shift;
      if (first.length - this.offset >= 2) {
        r = first.readUInt16LE(this.offset);
        shift = 0;
        this.offset += 2;
      } else {
        r = first[this.offset] | this.buffers[1][0] << 8;
        shift = 1;
        this.offset = 1;
      }
      if (this.offset === this.buffers[shift].length) {
        this.offset = 0;
        shift++;
      }
      if (shift !== 0) this.buffers = this.buffers.slice(shift);
      return r;
    };
    OffsetBuffer.prototype.readUInt24LE = function readUInt24LE() {
      const first = this.buffers[0];
      let r;
      let shift;
      const firstHas = first.length - this.offset;
      if (firstHas >= 3) {
        r = first.readUInt16LE(this.offset) | first[this.offset + 2] << 16;
        shift = 0;
        this.offset += 3;
      } else if (firstHas >= 2) {
        r = first.readUInt16LE(this.offset) | this.buffers[1][0] << 16;
        shift = 1;
        this.offset = 1;
      } else {
        r = first[this.offset];
        this.offset = 0;
        this.buffers.shift();
        this.size -= 1;
        r |= this.readUInt16LE() << 8;
        return r;
      }
      this.size -= 3;
      if (this.offset === this.buffers[shift].length) {
        this.offset = 0;
        shift++;
      }
      if (shift !== 0) this.buffers = this.buffers.slice(shift);
      return r;
    };
    OffsetBuffer.prototype.readUInt32LE = function readUInt32LE() {
      const first = this.buffers[0];
      let r;
      let shift;
      const firstHas = first.length - this.offset;
      if (firstHas >= 4) {
        r = first.readUInt32LE(this.offset);
        shift = 0;
        this.offset += 4;
      } else if (firstHas >= 3) {
        r = (first.readUInt16LE(this.offset) | first[this.offset + 2] << 16) + this.buffers[1][0] * 16777216;
        shift = 1;
        this.offset = 1;
      } else if (firstHas >= 2) {
        r = first.readUInt16LE(this.offset);
        this.offset = 0;
        this.buffers.shift();
        this.size -= 2;
        r += this.readUInt16LE() * 65536;
        return r;
      } else {
        r = first[this.offset];
        this.offset = 0;
        this.buffers.shift();
        this.size -= 1;
        r += this.readUInt24LE() * 256;
        return r;
      }
      this.size -= 4;
      if (this.offset === this.buffers[shift].length) {
        this.offset = 0;
        shift++;
      }
      if (shift !== 0) this.buffers = this.buffers.slice(shift);
      return r;
    };
    OffsetBuffer.prototype.readUInt16BE = function readUInt16BE() {
      const r = this.readUInt16LE();
      return (r & 255) << 8 | r >> 8;
    };
    OffsetBuffer.prototype.readUInt24BE = function readUInt24BE() {
      const r = this.readUInt24LE();
      return (r & 255) << 16 | (r >> 8 & 255) << 8 | r >> 16;
    };
    OffsetBuffer.prototype.readUInt32BE = function readUInt32BE() {
      const r = this.readUInt32LE();
      return ((r & 255) << 24 | (r >>> 8 & 255) << 16 | (r >>> 16 & 255) << 8 | r >>> 24) >>> 0;
    };
    function signedInt8(num) {
      if (num >= 128) return -(255 ^ num) - 1;
      else return num;
    }
    OffsetBuffer.prototype.peekInt8 = function peekInt8() {
      return signedInt8(this.peekUInt8());
    };
    OffsetBuffer.prototype.readInt8 = function readInt8() {
      return signedInt8(this.readUInt8());
    };
    function signedInt16(num) {
      if (num >= 32768) return -(65535 ^ num) - 1;
      else return num;
    }
    OffsetBuffer.prototype.readInt16BE = function readInt16BE() {
      return signedInt16(this.readUInt16BE());
    };
    OffsetBuffer.prototype.readInt16LE = function readInt16LE() {
      return signedInt16(this.readUInt16LE());
    };
    function signedInt24(num) {
      if (num >= 8388608) return -(16777215 ^ num) - 1;
      else return num;
    }
    OffsetBuffer.prototype.readInt24BE = function readInt24BE() {
      return signedInt24(this.readUInt24BE());
    };
    OffsetBuffer.prototype.readInt24LE = function readInt24LE() {
      return signedInt24(this.readUInt24LE());
    };
    function signedInt32(num) {
      if (num >= 2147483648) return -(4294967295 ^ num) - 1;
      else return num;
    }
    OffsetBuffer.prototype.readInt32BE = function readInt32BE() {
      return signedInt32(this.readUInt32BE());
    };
    OffsetBuffer.prototype.readInt32LE = function readInt32LE() {
      return signedInt32(this.readUInt32LE());
    };
  }
});

// node_modules/pg-copy-streams/message-formats.js
var require_message_formats = __commonJS({
  "node_modules/pg-copy-streams/message-formats.js"(exports, module) {
    module.exports = {
      ErrorResponse: 69,
      // E
      CopyInResponse: 71,
      // G
      CopyOutResponse: 72,
      // H
      CopyBothResponse: 87,
      // W
      CopyDone: 99,
      // c
      CopyData: 100,
      // d
      CopyFail: 102,
      // f
      CommandComplete: 67,
      // C
      ReadyForQuery: 90,
      // Z
      // It is possible for NoticeResponse and ParameterStatus messages to be interspersed between CopyData messages;
      // frontends must handle these cases, and should be prepared for other asynchronous message types as well
      // (see Section 50.2.6).
      // Otherwise, any message type other than CopyData or CopyDone may be treated as terminating copy-out mode.
      NotificationResponse: 65,
      // A
      NoticeResponse: 78,
      // N
      ParameterStatus: 83
      // S
    };
  }
});

// node_modules/pg-copy-streams/copy-to.js
var require_copy_to = __commonJS({
  "node_modules/pg-copy-streams/copy-to.js"(exports, module) {
    "use strict";
    module.exports = function(txt, options) {
      return new CopyStreamQuery(txt, options);
    };
    var { Readable } = __require("stream");
    var assert = __require("assert");
    var BufferList = require_obuf();
    var code = require_message_formats();
    var PG_CODE = 0;
    var PG_LENGTH = 1;
    var PG_MESSAGE = 2;
    var CopyStreamQuery = class extends Readable {
      constructor(text, options) {
        super(options);
        this.text = text;
        this.rowCount = 0;
        this._state = PG_CODE;
        this._buffer = new BufferList();
        this._unreadMessageContentLength = 0;
        this._copyDataChunks = new BufferList();
        this._pgDataHandler = null;
        this._drained = false;
        this._forwarding = false;
        this._onReadableEvent = this._onReadable.bind(this);
      }
      submit(connection) {
        this.connection = connection;
        this._attach();
        connection.query(this.text);
      }
      _attach() {
        const connectionStream = this.connection.stream;
        const pgDataListeners = connectionStream.listeners("data");
        assert(pgDataListeners.length == 1);
        this._pgDataHandler = pgDataListeners.pop();
        connectionStream.removeListener("data", this._pgDataHandler);
        connectionStream.pause();
        this._forward();
        connectionStream.on("readable", this._onReadableEvent);
      }
      _detach() {
        const connectionStream = this.connection.stream;
        const unreadBuffer = this._buffer.take(this._buffer.size);
        connectionStream.removeListener("readable", this._onReadableEvent);
        connectionStream.addListener("data", this._pgDataHandler);
        this._pgDataHandler(unreadBuffer);
        process.nextTick(function() {
          connectionStream.resume();
        });
      }
      _cleanup() {
        this._buffer = null;
        this._copyDataChunks = null;
        this._pgDataHandler = null;
        this._onReadableEvent = null;
      }
      _onReadable() {
        this._forward();
      }
      _read() {
        this._drained = true;
        this._forward();
      }
      _forward() {
        if (this._forwarding || !this._drained || !this.connection) return;
        this._forwarding = true;
        const connectionStream = this.connection.stream;
        let chunk;
        while (this._drained && (chunk = connectionStream.read()) !== null) {
          this._drained = this._parse(chunk);
        }
        this._forwarding = false;
      }
      _parse(chunk) {
        let done = false;
        let drained = true;
        this._buffer.push(chunk);
        while (!done && this._buffer.size > 0) {
          if (PG_CODE === this._state) {
            if (!this._buffer.has(1)) break;
            this._code = this._buffer.peekUInt8();
            if (this._code === code.ErrorResponse) {
              this._detach();
              return;
            }
            this._buffer.readUInt8();
            this._state = PG_LENGTH;
          }
          if (PG_LENGTH === this._state) {
            if (!this._buffer.has(4)) break;
            this._unreadMessageContentLength = this._buffer.readUInt32BE() - 4;
            this._state = PG_MESSAGE;
          }
          if (PG_MESSAGE === this._state) {
            if (this._unreadMessageContentLength > 0 && this._buffer.size > 0) {
              const n = Math.min(this._buffer.size, this._unreadMessageContentLength);
              const messageContentChunk = this._buffer.take(n);
              this._unreadMessageContentLength -= n;
              if (this._code === code.CopyData) {
                this._copyDataChunks.push(messageContentChunk);
              }
            }
            if (this._unreadMessageContentLength === 0) {
              switch (this._code) {
                case code.CopyOutResponse:
                case code.CopyData:
                // standard interspersed messages.
                // see https://www.postgresql.org/docs/9.6/protocol-flow.html#PROTOCOL-COPY
                case code.ParameterStatus:
                case code.NoticeResponse:
                case code.NotificationResponse:
                  break;
                case code.CopyDone:
                default:
                  done = true;
                  break;
              }
              this._state = PG_CODE;
            }
          }
        }
        const len = this._copyDataChunks.size;
        if (len > 0) {
          drained = this.push(this._copyDataChunks.take(len));
        }
        if (done) {
          this._detach();
          this.push(null);
          this._cleanup();
        }
        return drained;
      }
      handleError(err) {
        this.emit("error", err);
        this._cleanup();
      }
      handleCommandComplete(msg) {
        const match = /COPY (\d+)/.exec((msg || {}).text);
        if (match) {
          this.rowCount = parseInt(match[1], 10);
        }
      }
      handleReadyForQuery() {
      }
    };
  }
});

// node_modules/pg-copy-streams/copy-from.js
var require_copy_from = __commonJS({
  "node_modules/pg-copy-streams/copy-from.js"(exports, module) {
    "use strict";
    module.exports = function(txt, options) {
      return new CopyStreamQuery(txt, options);
    };
    var { Writable } = __require("stream");
    var code = require_message_formats();
    var CopyStreamQuery = class extends Writable {
      constructor(text, options) {
        super(options);
        this.text = text;
        this.rowCount = 0;
        this._gotCopyInResponse = false;
        this.chunks = [];
        this.cb_CopyInResponse = null;
        this.cb_ReadyForQuery = null;
        this.cb_destroy = null;
        this.cork();
      }
      submit(connection) {
        this.connection = connection;
        connection.query(this.text);
      }
      callback() {
      }
      _write(chunk, enc, cb) {
        this.chunks.push({ chunk, encoding: enc });
        if (this._gotCopyInResponse) {
          return this.flush(cb);
        }
        this.cb_CopyInResponse = cb;
      }
      _writev(chunks, cb) {
        if (this.chunks.length == 0) {
          this.chunks = chunks;
        } else {
          const QUANTUM = 125e3;
          for (let i = 0; i < chunks.length; i += QUANTUM) {
            this.chunks.push(...chunks.slice(i, Math.min(i + QUANTUM, chunks.length)));
          }
        }
        if (this._gotCopyInResponse) {
          return this.flush(cb);
        }
        this.cb_CopyInResponse = cb;
      }
      _destroy(err, cb) {
        if (this.cb_ReadyForQuery) return cb(err);
        this.cb_destroy = cb;
        const msg = err ? err.message : "NODE-PG-COPY-STREAMS destroy() was called";
        const self = this;
        const done = function() {
          self.connection.sendCopyFail(msg);
        };
        this.chunks = [];
        if (this._gotCopyInResponse) {
          return this.flush(done);
        }
        this.cb_CopyInResponse = done;
      }
      _final(cb) {
        this.cb_ReadyForQuery = cb;
        const self = this;
        const done = function() {
          const Int32Len = 4;
          const finBuffer = Buffer.from([code.CopyDone, 0, 0, 0, Int32Len]);
          self.connection.stream.write(finBuffer);
        };
        if (this._gotCopyInResponse) {
          return this.flush(done);
        }
        this.cb_CopyInResponse = done;
      }
      flush(callback) {
        let chunk;
        let ok = true;
        while (ok && (chunk = this.chunks.shift())) {
          ok = this.flushChunk(chunk.chunk);
        }
        if (callback) {
          if (ok) {
            callback();
          } else {
            if (this.chunks.length) {
              this.connection.stream.once("drain", this.flush.bind(this, callback));
            } else {
              this.connection.stream.once("drain", callback);
            }
          }
        }
      }
      flushChunk(chunk) {
        const Int32Len = 4;
        const lenBuffer = Buffer.from([code.CopyData, 0, 0, 0, 0]);
        lenBuffer.writeUInt32BE(chunk.length + Int32Len, 1);
        this.connection.stream.write(lenBuffer);
        return this.connection.stream.write(chunk);
      }
      handleError(e) {
        this.callback();
        if (this.cb_destroy) {
          const cb = this.cb_destroy;
          this.cb_destroy = null;
          cb(e);
        } else {
          this.emit("error", e);
        }
        this.connection = null;
      }
      handleCopyInResponse(connection) {
        this._gotCopyInResponse = true;
        if (!this.destroyed) {
          this.uncork();
        }
        const cb = this.cb_CopyInResponse || function() {
        };
        this.cb_CopyInResponse = null;
        this.flush(cb);
      }
      handleCommandComplete(msg) {
        const match = /COPY (\d+)/.exec((msg || {}).text);
        if (match) {
          this.rowCount = parseInt(match[1], 10);
        }
      }
      handleReadyForQuery() {
        this.callback();
        this.cb_ReadyForQuery();
        this.connection = null;
      }
    };
  }
});

// node_modules/pg-copy-streams/copy-both.js
var require_copy_both = __commonJS({
  "node_modules/pg-copy-streams/copy-both.js"(exports, module) {
    "use strict";
    module.exports = function(txt, options) {
      return new CopyStreamQuery(txt, options);
    };
    var { Duplex } = __require("stream");
    var assert = __require("assert");
    var BufferList = require_obuf();
    var code = require_message_formats();
    var PG_CODE = 0;
    var PG_LENGTH = 1;
    var PG_MESSAGE = 2;
    var CopyStreamQuery = class extends Duplex {
      constructor(text, options) {
        super(options);
        this.text = text;
        this._state = PG_CODE;
        this._buffer = new BufferList();
        this._unreadMessageContentLength = 0;
        this._copyDataChunks = new BufferList();
        this._pgDataHandler = null;
        this._drained = false;
        this._forwarding = false;
        this._onReadableEvent = this._onReadable.bind(this);
        this.alignOnCopyDataFrame = options ? options.alignOnCopyDataFrame === true : false;
        this._gotCopyInResponse = false;
        this.chunks = [];
        this.cb = null;
        this.cork();
      }
      submit(connection) {
        this.connection = connection;
        this._attach();
        connection.query(this.text);
      }
      /* Readable implementation */
      _attach() {
        const connectionStream = this.connection.stream;
        const pgDataListeners = connectionStream.listeners("data");
        assert(pgDataListeners.length == 1);
        this._pgDataHandler = pgDataListeners.pop();
        connectionStream.removeListener("data", this._pgDataHandler);
        connectionStream.pause();
        this._forward();
        connectionStream.on("readable", this._onReadableEvent);
      }
      _detach() {
        const connectionStream = this.connection.stream;
        const unreadBuffer = this._buffer.take(this._buffer.size);
        connectionStream.removeListener("readable", this._onReadableEvent);
        connectionStream.addListener("data", this._pgDataHandler);
        this._pgDataHandler(unreadBuffer);
        process.nextTick(function() {
          connectionStream.resume();
        });
      }
      _cleanup() {
        this._buffer = null;
        this._copyDataChunks = null;
        this._pgDataHandler = null;
        this._onReadableEvent = null;
      }
      _onReadable() {
        this._forward();
      }
      _read() {
        this._drained = true;
        this._forward();
      }
      _forward() {
        if (this._forwarding || !this._drained || !this.connection) return;
        this._forwarding = true;
        const connectionStream = this.connection.stream;
        let chunk;
        while (this._drained && (chunk = connectionStream.read()) !== null) {
          this._drained = this._parse(chunk);
        }
        this._forwarding = false;
      }
      _parse(chunk) {
        let done = false;
        let drained = true;
        this._buffer.push(chunk);
        while (!done && this._buffer.size > 0) {
          if (PG_CODE === this._state) {
            if (!this._buffer.has(1)) break;
            this._code = this._buffer.peekUInt8();
            if (this._code === code.ErrorResponse) {
              this._detach();
              return;
            }
            this._buffer.readUInt8();
            this._state = PG_LENGTH;
          }
          if (PG_LENGTH === this._state) {
            if (!this._buffer.has(4)) break;
            this._unreadMessageContentLength = this._buffer.readUInt32BE() - 4;
            this._state = PG_MESSAGE;
          }
          if (PG_MESSAGE === this._state) {
            if (this._unreadMessageContentLength > 0 && this._buffer.size > 0) {
              const n = Math.min(this._buffer.size, this._unreadMessageContentLength);
              const messageContentChunk = this._buffer.take(n);
              this._unreadMessageContentLength -= n;
              if (this._code === code.CopyData) {
                this._copyDataChunks.push(messageContentChunk);
              }
            }
            if (this._unreadMessageContentLength === 0) {
              switch (this._code) {
                case code.CopyBothResponse:
                  this._startCopyIn();
                  break;
                case code.CopyData:
                  if (this.alignOnCopyDataFrame) {
                    drained = this._flushCopyData();
                  }
                  break;
                // standard interspersed messages.
                // see https://www.postgresql.org/docs/9.6/protocol-flow.html#PROTOCOL-COPY
                case code.ParameterStatus:
                case code.NoticeResponse:
                case code.NotificationResponse:
                  break;
                case code.CopyDone:
                default:
                  done = true;
                  break;
              }
              this._state = PG_CODE;
            }
          }
        }
        if (!this.alignOnCopyDataFrame) {
          drained = this._flushCopyData();
        }
        if (done) {
          this._detach();
          this.push(null);
          this._cleanup();
        }
        return drained;
      }
      _flushCopyData() {
        let drained = true;
        const len = this._copyDataChunks.size;
        if (len > 0) {
          drained = this.push(this._copyDataChunks.take(len));
        }
        return drained;
      }
      /* Writable implementation */
      _write(chunk, enc, cb) {
        this.chunks.push({ chunk, encoding: enc });
        if (this._gotCopyInResponse) {
          return this.flush(cb);
        }
        this.cb = cb;
      }
      _writev(chunks, cb) {
        this.chunks.push(...chunks);
        if (this._gotCopyInResponse) {
          return this.flush(cb);
        }
        this.cb = cb;
      }
      _final(cb) {
        this.flush();
        const Int32Len = 4;
        const finBuffer = Buffer.from([code.CopyDone, 0, 0, 0, Int32Len]);
        this.connection.stream.write(finBuffer);
        this.cb_flush = cb;
      }
      flush(callback) {
        let chunk;
        let ok = true;
        while (ok && (chunk = this.chunks.shift())) {
          ok = this.flushChunk(chunk.chunk);
        }
        if (callback) {
          if (ok) {
            callback();
          } else {
            if (this.chunks.length) {
              this.connection.stream.once("drain", this.flush.bind(this, callback));
            } else {
              this.connection.stream.once("drain", callback);
            }
          }
        }
      }
      flushChunk(chunk) {
        const Int32Len = 4;
        const lenBuffer = Buffer.from([code.CopyData, 0, 0, 0, 0]);
        lenBuffer.writeUInt32BE(chunk.length + Int32Len, 1);
        this.connection.stream.write(lenBuffer);
        return this.connection.stream.write(chunk);
      }
      _startCopyIn() {
        this._gotCopyInResponse = true;
        this.uncork();
        this.flush();
        if (this.cb) {
          const { cb } = this;
          this.cb = null;
          cb();
        }
      }
      handleError(err) {
        this.emit("error", err);
        this._cleanup();
      }
      handleCopyData(chunk) {
      }
      handleCommandComplete() {
      }
      handleReadyForQuery() {
        this.connection = null;
        this.cb_flush();
      }
    };
  }
});

// node_modules/pg-copy-streams/index.js
var require_pg_copy_streams = __commonJS({
  "node_modules/pg-copy-streams/index.js"(exports) {
    "use strict";
    var CopyToQueryStream = require_copy_to();
    var CopyFromQueryStream = require_copy_from();
    var CopyBothQueryStream = require_copy_both();
    exports.to = function copyTo2(txt, options) {
      return new CopyToQueryStream(txt, options);
    };
    exports.from = function copyFrom(txt, options) {
      return new CopyFromQueryStream(txt, options);
    };
    exports.both = function copyBoth(txt, options) {
      return new CopyBothQueryStream(txt, options);
    };
  }
});

// src/stores/postgres/adapter.ts
import { spawn as spawn2 } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";
import { pipeline } from "node:stream/promises";

// src/stores/postgres/archive.ts
import { createHash } from "node:crypto";

// src/stores/postgres/rowhash-wasm.ts
var WASM_BASE64 = "AGFzbQEAAAABJghgAn5+AX5gAX4BfmAAAGACf38AYAJ/fwF/YAF/AGAAAX5gAAF/Aw8OAAECAwMEBQYGBgcHBwcFAwEAEQaSARN+AEKHla+vmLbem55/C34AQs/W077Sx6vZQgt+AEL5893xmfaZqxYLfgBC49zKlfzO8vWFfwt+AELFz9my8eW66icLfgFCxc/ZsvHluuonC34BQgALfgFCAAt/AUEAC34BQgALfgFCAAt+AUIAC38BQQALfwFBAAt+AUIAC38BQQALfwFBAAt/AUEAC38BQQALB1YLBm1lbW9yeQIABHJvd3MABAVibG9jawAFBXJlc2V0AAYEc3VtMQAHBHN1bTIACAVjb3VudAAJBWVuZGVkAAoEZG9uZQALA2JhZAAMB3BhcnRpYWwADQrZBQ4QACAAIAEjAX58Qh+JIwB+CywAIAAgAEIhiIUhACAAIwF+IQAgACAAQh2IhSEAIAAjAn4hACAAIABCIIiFC10BAX4jDEUEQCMGQgJRIwdC3NwAUXEEQEEBJAwFIwUjBxAAIQAgACMGIwR+hRABIQAjCSAAfCQJIwogACMDhRABfCQKIwtCAXwkCwsLIwQkBUIAJAZCACQHQQAkCAuWAgIBfwR+AkADQCAAIAFPDQEjCEUEQAJAA0AgAEEIaiABSw0BIAApAwAhAyADQoqUqNCgwYKFCoUhBCAEQoGChIiQoMCAAX0gBEJ/hYNCgIGChIiQoMCAf4MhBSAFUARAIwUgAxAAJAUjBkIIfCQGIABBCGohAAUgBXpCA4ghBiAGUAR+QgAFIANCASAGQgOGhkIBfYMLJAcjBiAGfCQGEAIgACAGp0EBamohAAsMAAsLCwJAA0AgACABTw0DIAAtAAAhAiAAQQFqIQAgAkEKRgRAEAIMAgsjByACrSMIQQN0rYaEJAcjCEEBaiQIIwZCAXwkBiMIQQhGBEAjBSMHEAAkBUIAJAdBACQIDAILDAALCwwACwsLCwAgACAAIAFqEAMLtAEBA38gACECIAAgAWohAwJAA0AjECACIANPcg0BIw1BAEsEQCADIAJrIQQjDSAESQRAIw0hBAsjEkUEQCACIAIgBGoQAwsgAiAEaiECIw0gBGskDQUjDiACMQAAIw9BA3SthoQkDiMPQQFqJA8gAkEBaiECIw9BBUYEQCMOQv8Bg0IAUgRAQQEkEUEBJBALIw5CCIinJA0jDUUEQEEBJBALQgAkDkEAJA8LCwwACwsgAiAAaws6ACMEJAVCACQGQgAkB0EAJAhCACQJQgAkCkIAJAtBACQMQQAkDUIAJA5BACQPQQAkEEEAJBEgACQSCwQAIwkLBAAjCgsEACMLCwQAIwwLBAAjEAsEACMRCwgAIwanIwhyCw==";

// src/stores/postgres/rowhash.ts
var ROW_HASH_METHOD = "copy-xxh64x2";
var WINDOW = 1 << 20;
var RowHasher = class {
  x;
  mem;
  constructor() {
    this.x = wasmInstance(WASM_BASE64);
    this.mem = new Uint8Array(this.x.memory.buffer);
  }
  /** Starts a new data set. `skip`: frame custom-format chunks without hashing them (data that is not rows). */
  reset(skip = false) {
    this.x.reset(skip ? 1 : 0);
    return this;
  }
  /** Plain COPY text data, split anywhere. */
  rows(buf) {
    for (let o = 0; o < buf.length; o += WINDOW) {
      const part = buf.subarray(o, o + WINDOW);
      this.mem.set(part, 0);
      this.x.rows(0, part.length);
    }
  }
  /**
   * Bytes of a custom-format data block, after its header: returns how many belong to it (all of `buf` while the
   * block goes on; fewer once its end marker was read, and `blockDone` turns true).
   */
  block(buf) {
    let used = 0;
    while (used < buf.length && !this.blockDone) {
      const part = buf.subarray(used, used + WINDOW);
      this.mem.set(part, 0);
      used += this.x.block(0, part.length);
    }
    if (this.x.bad()) throw new Error("a data chunk has a negative length");
    return used;
  }
  get blockDone() {
    return this.x.done() === 1;
  }
  /** Whether pg_dump's end-of-data line ("\.") was seen. */
  get ended() {
    return this.x.ended() === 1;
  }
  /** Whether the data so far stops inside a row (complete COPY data ends with a newline). */
  get partial() {
    return this.x.partial() !== 0;
  }
  digest() {
    const hex = (v) => BigInt.asUintN(64, v).toString(16).padStart(16, "0");
    return { count: Number(this.x.count()), hash: `${ROW_HASH_METHOD}:${hex(this.x.sum1())}${hex(this.x.sum2())}` };
  }
};

// src/stores/postgres/archive.ts
var FORMATS = { 1: "custom", 3: "directory", 5: "directory" };
var K_VERS_1_12 = 1 << 16 | 12 << 8;
var SESSION_ENTRIES = /* @__PURE__ */ new Set(["ENCODING", "STDSTRINGS", "SEARCHPATH"]);
var BLK_DATA = 1;
var BLOCK_HEADER = 6;
var BLK_BLOBS = 3;
var NeedMore = class extends Error {
};
var Reader = class {
  constructor(buf, pos = 0) {
    this.buf = buf;
    this.pos = pos;
  }
  buf;
  pos;
  intSize = 4;
  offSize = 8;
  byte() {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++];
  }
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new NeedMore();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** ReadInt: a sign byte, then intSize bytes little-endian. */
  int() {
    const sign = this.byte();
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return sign ? -v : v;
  }
  /** ReadStr: an int length (-1: NULL), then the bytes. */
  str() {
    const n = this.int();
    if (n < 0) return null;
    return this.bytes(n).toString("utf8");
  }
};
function parseArchiveHead(buf) {
  try {
    return readHead(new Reader(buf));
  } catch (err) {
    if (err instanceof NeedMore) return void 0;
    throw err;
  }
}
function readHead(r) {
  if (r.bytes(5).toString("latin1") !== "PGDMP") throw new Error("not a pg_dump archive (no PGDMP magic)");
  const [vmaj, vmin, vrev] = [r.byte(), r.byte(), r.byte()];
  const version = vmaj << 16 | vmin << 8 | vrev;
  if (version < K_VERS_1_12 || vmaj !== 1 || vmin > 16) {
    throw new Error(`pg_dump archive version ${vmaj}.${vmin}.${vrev} is not supported (1.12 to 1.16 are)`);
  }
  r.intSize = r.byte();
  r.offSize = r.byte();
  const format = FORMATS[r.byte()];
  if (!format) throw new Error("pg_dump archive is neither custom nor directory format");
  const compressed = vmin >= 15 ? r.byte() !== 0 : r.int() !== 0;
  for (let i = 0; i < 7; i++) r.int();
  const database = r.str();
  r.str();
  r.str();
  const count = r.int();
  const toc = [];
  for (let i = 0; i < count; i++) {
    const dumpId = r.int();
    const hadDumper = r.int() !== 0;
    r.str();
    r.str();
    const tag = r.str();
    const desc = r.str();
    const section = r.int();
    const defn = r.str();
    r.str();
    const copyStmt = r.str();
    const namespace = r.str();
    r.str();
    if (vmin >= 14) r.str();
    if (vmin >= 16) r.int();
    r.str();
    r.str();
    const dependencies = [];
    for (let dep = r.str(); dep !== null; dep = r.str()) dependencies.push(Number(dep));
    const entry = { dumpId, hadDumper, tag, desc, namespace, copyStmt, section, dependencies };
    if (desc !== null && SESSION_ENTRIES.has(desc)) entry.defn = defn;
    if (format === "custom") {
      entry.offsetPos = r.pos;
      r.byte();
      r.bytes(r.offSize);
    } else {
      entry.filename = r.str();
    }
    toc.push(entry);
  }
  return {
    header: { version: `${vmaj}.${vmin}.${vrev}`, format, compressed, database, offSize: r.offSize, toc },
    end: r.pos
  };
}
var CustomArchivePrinter = class {
  constructor(wanted, events = {}) {
    this.wanted = wanted;
    this.events = events;
  }
  wanted;
  events;
  header;
  tables = [];
  head = [];
  headLen = 0;
  nextTry = 4096;
  /** Large objects (when `wanted` accepts the BLOBS entry): one element "<oid>:<sha256>" each. */
  largeObjects = new SetHash();
  /** Bytes of a block header (type byte and dump id), a large object's oid or a chunk length, gathered across
   * pieces. */
  pending = Buffer.alloc(0);
  state = "head";
  /** The large object being read: its oid, its hash (when wanted), and the bytes left in its current chunk. */
  lo;
  current;
  entries = /* @__PURE__ */ new Map();
  hasher = new RowHasher();
  seen = /* @__PURE__ */ new Set();
  /** Archive position of the next byte data() consumes, and of the current block's first byte. */
  pos = 0;
  blockStart = 0;
  push(chunk) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.state !== "head") {
      this.data(buf);
      return;
    }
    this.head.push(Buffer.from(buf));
    this.headLen += buf.length;
    if (this.headLen < this.nextTry) return;
    const rest = this.parseHead();
    if (rest) this.data(rest);
    else this.nextTry = this.headLen * 2;
  }
  /** The bytes after the TOC once the gathered ones hold all of it. */
  parseHead() {
    const all = Buffer.concat(this.head);
    this.head = [all];
    const parsed = parseArchiveHead(all);
    if (!parsed) return void 0;
    this.header = parsed.header;
    if (parsed.header.format !== "custom") throw new Error("expected a custom-format archive");
    if (parsed.header.compressed) throw new Error("the archive is compressed: backdrill runs pg_dump with -Z0");
    for (const e of parsed.header.toc) this.entries.set(e.dumpId, e);
    this.head = [];
    this.state = "block-header";
    this.pos = parsed.end;
    this.events.head?.(parsed.header, parsed.end);
    return all.subarray(parsed.end);
  }
  data(input) {
    let buf = input;
    while (buf.length > 0) {
      if (this.state === "data") {
        const used = this.hasher.block(buf);
        buf = buf.subarray(used);
        this.pos += used;
        if (!this.hasher.blockDone) return;
        this.finishTable();
        this.endBlock();
        continue;
      }
      if (this.state === "blob-data") {
        const lo = this.lo;
        const n = Math.min(lo.remaining, buf.length);
        lo.hash?.update(buf.subarray(0, n));
        buf = buf.subarray(n);
        this.pos += n;
        lo.remaining -= n;
        if (lo.remaining === 0) this.state = "blob-chunk";
        continue;
      }
      const need = this.state === "block-header" ? BLOCK_HEADER : 5;
      if (this.state === "block-header" && this.pending.length === 0) this.blockStart = this.pos;
      const take = Math.min(need - this.pending.length, buf.length);
      this.pending = Buffer.concat([this.pending, buf.subarray(0, take)]);
      buf = buf.subarray(take);
      this.pos += take;
      if (this.pending.length < need) return;
      const field = this.pending;
      this.pending = Buffer.alloc(0);
      if (this.state === "block-header") {
        this.startBlock(field);
        continue;
      }
      if (field[0] !== 0) throw new Error("a negative length or oid in a large objects block");
      const value = field.readUInt32LE(1);
      if (this.state === "blob-oid") {
        if (value === 0) this.endBlock();
        else {
          this.lo = { oid: value, hash: this.wanted(this.current) ? createHash("sha256") : void 0, remaining: 0 };
          this.state = "blob-chunk";
        }
      } else if (value === 0) {
        const lo = this.lo;
        if (lo.hash) this.largeObjects.add(`${lo.oid}:${lo.hash.digest("hex")}`);
        this.state = "blob-oid";
      } else {
        this.lo.remaining = value;
        this.state = "blob-data";
      }
    }
  }
  /**
   * Passes over the data block of entry `dumpId`, which spans [start, end) of the archive and is read elsewhere
   * (nothing of it is hashed): every byte before `start` has been pushed, and the next one pushed is the one at
   * `end`. Its events fire as for a block read.
   */
  passOver(dumpId, start, end) {
    if (this.state === "head") {
      const rest = this.parseHead();
      if (!rest) throw new Error(`the archive's TOC does not end before the data block at ${start}`);
      this.data(rest);
    }
    const entry = this.entries.get(dumpId);
    if (!entry) throw new Error(`data block for unknown TOC entry ${dumpId}`);
    if (this.state !== "block-header" || this.pending.length > 0 || this.pos !== start || end < start) {
      throw new Error(`no data block starts at ${start} (entry ${dumpId} ${entry.desc} ${entry.tag})`);
    }
    this.current = entry;
    this.blockStart = start;
    this.seen.add(dumpId);
    this.events.blockStart?.(entry, start);
    this.pos = end;
    this.endBlock();
    return entry;
  }
  startBlock(field) {
    const type = field[0];
    const id = field.readUInt32LE(2);
    const entry = this.entries.get(id);
    if (!entry || field[1] !== 0) throw new Error(`data block for unknown TOC entry ${id}`);
    if (type === BLK_DATA) {
      this.current = entry;
      this.hasher.reset(!(entry.desc === "TABLE DATA" && this.wanted(entry)));
      this.state = "data";
    } else if (type === BLK_BLOBS) {
      this.current = entry;
      this.state = "blob-oid";
    } else {
      throw new Error(`unknown data block type ${type}`);
    }
    this.seen.add(id);
    this.events.blockStart?.(entry, this.blockStart);
  }
  endBlock() {
    this.state = "block-header";
    this.events.block?.(this.current, this.blockStart, this.pos);
  }
  finishTable() {
    const entry = this.current;
    if (entry.desc !== "TABLE DATA" || !this.wanted(entry)) return;
    if (!this.hasher.ended) throw new Error(`the data of ${entry.namespace}.${entry.tag} does not end with "\\."`);
    this.tables.push({ entry, ...this.hasher.digest() });
  }
  /** Checks that the archive was complete: every entry with data had its block. */
  end() {
    if (this.state === "head") {
      const rest = this.parseHead();
      if (!rest) throw new Error("the archive ended inside its header");
      this.data(rest);
    }
    if (this.state !== "block-header" || this.pending.length > 0)
      throw new Error("the archive ended inside a data block");
    const missing = this.header.toc.filter((e) => e.hadDumper && !this.seen.has(e.dumpId));
    if (missing.length > 0) {
      throw new Error(`the archive has no data for ${missing.map((e) => `${e.desc} ${e.tag}`).join(", ")}`);
    }
  }
};
var DirectoryArchivePrinter = class {
  constructor(header, wanted) {
    this.header = header;
    for (const e of header.toc) if (e.desc === "TABLE DATA" && e.filename && wanted(e)) this.files.set(e.filename, e);
    this.blobs = header.toc.some((e) => e.desc === "BLOBS" && wanted(e));
  }
  header;
  tables = [];
  /** Large objects: one element "<oid>:<sha256>" each, as CustomArchivePrinter has them. */
  largeObjects = new SetHash();
  files = /* @__PURE__ */ new Map();
  blobs;
  file(name) {
    const entry = this.files.get(name);
    const oid = this.blobs ? /^blob_(\d+)\.dat$/.exec(name)?.[1] : void 0;
    const rows2 = entry ? new RowHasher() : void 0;
    const data = oid ? createHash("sha256") : void 0;
    return {
      push: (chunk) => {
        rows2?.rows(chunk);
        data?.update(chunk);
      },
      end: () => {
        if (entry && rows2) {
          if (!rows2.ended) throw new Error(`${name} (${entry.namespace}.${entry.tag}) does not end with "\\."`);
          this.tables.push({ entry, ...rows2.digest() });
        }
        if (oid && data) this.largeObjects.add(`${oid}:${data.digest("hex")}`);
      }
    };
  }
};

// src/stores/postgres/binaries.ts
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
function majorOf(binary) {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) return void 0;
  const m = /\(PostgreSQL\) (\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : void 0;
}
function inDir(dir) {
  const pgDump = join(dir, "pg_dump");
  if (!existsSync(pgDump)) return void 0;
  const major = majorOf(pgDump);
  if (major === void 0) return void 0;
  return {
    dir,
    major,
    pgDump,
    pgDumpAll: join(dir, "pg_dumpall"),
    pgRestore: join(dir, "pg_restore"),
    psql: join(dir, "psql")
  };
}
function* candidates() {
  const dirs = [];
  for (const base of ["/usr/lib/postgresql", "/usr/pgsql"]) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) dirs.push(join(base, v, "bin"));
  }
  for (const p of (process.env.PATH ?? "").split(":")) if (p) dirs.push(p);
  const seen = /* @__PURE__ */ new Set();
  for (const dir of dirs) {
    let real;
    try {
      real = realpathSync(join(dir, "pg_dump"));
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    yield dir;
  }
}
function findBinaries(serverMajor2, store, binDir) {
  if (binDir) {
    const b = inDir(binDir);
    if (!b) {
      throw new BackdrillError("usage", `store ${store}: no working pg_dump in binDir ${binDir}`, {
        hint: "point binDir at the bin directory of a PostgreSQL client installation"
      });
    }
    if (b.major < serverMajor2) throw tooOld(store, b, serverMajor2);
    return b;
  }
  const found = [];
  for (const dir of candidates()) {
    const b = inDir(dir);
    if (b?.major === serverMajor2) return b;
    if (b) found.push(b);
  }
  const newer = found.filter((b) => b.major > serverMajor2).sort((a, b) => a.major - b.major)[0];
  if (newer) return newer;
  const older = found.sort((a, b) => b.major - a.major)[0];
  if (older) throw tooOld(store, older, serverMajor2);
  throw new BackdrillError("usage", `store ${store}: pg_dump is not installed`, {
    hint: `install the PostgreSQL ${serverMajor2} client (e.g. apt-get install postgresql-client-${serverMajor2}) or set binDir`
  });
}
function tooOld(store, b, serverMajor2) {
  return new BackdrillError(
    "usage",
    `store ${store}: ${b.pgDump} is PostgreSQL ${b.major}, older than the server (${serverMajor2}); it cannot dump it`,
    { hint: `install the PostgreSQL ${serverMajor2} client tools and set binDir to their bin directory` }
  );
}

// src/stores/postgres/fingerprint.ts
var import_pg_copy_streams = __toESM(require_pg_copy_streams(), 1);
import { createHash as createHash2 } from "node:crypto";
var STABLE_SETTINGS = [
  "SET LOCAL datestyle = 'ISO, YMD'",
  "SET LOCAL intervalstyle = 'postgres'",
  "SET LOCAL timezone = 'UTC'",
  "SET LOCAL extra_float_digits = 3",
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL lc_monetary = 'C'"
];
var USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;
var NOT_EXT = (cls, oid) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
function quoteIdent(s) {
  return `"${s.replace(/"/g, '""')}"`;
}
async function rows(client, sql) {
  return (await client.query(sql)).rows;
}
async function schemaPrint(client) {
  const out = {};
  const put = (name, def) => {
    out[name] = digestOf(JSON.stringify(def));
  };
  for (const r of await rows(
    client,
    `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, obj_description(n.oid, 'pg_namespace') AS comment
       FROM pg_namespace n WHERE ${USER_NS} AND ${NOT_EXT("pg_namespace", "n.oid")} AND n.nspname <> 'public'`
  )) {
    put(`schema ${r.nspname}`, r);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind AS kind,
            json_build_object(
              'kind', c.relkind, 'persistence', c.relpersistence,
              'partitioned_by', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
              'partition_of', (SELECT format('%s %s', i.inhparent::regclass, pg_get_expr(c.relpartbound, c.oid))
                                 FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition),
              'comment', obj_description(c.oid, 'pg_class'),
              'columns', (SELECT json_agg(json_build_object(
                             'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                             'notnull', a.attnotnull, 'default', pg_get_expr(ad.adbin, ad.adrelid),
                             'generated', a.attgenerated, 'identity', a.attidentity,
                             'collation', CASE WHEN a.attcollation <> 0 THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
                             'comment', col_description(c.oid, a.attnum)) ORDER BY a.attnum)
                          FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
              'view', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END) AS def
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    const label = { r: "table", p: "table", v: "view", m: "materialized view", f: "foreign table" }[r.kind] ?? r.kind;
    put(`${label} ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, con.conname) AS name,
            con.contype::text || ' ' || pg_get_constraintdef(con.oid, true) || coalesce(' -- ' || obj_description(con.oid, 'pg_constraint'), '') AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    put(`constraint ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_class", "i.indrelid")}`
  )) {
    put(`index ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, data_type::text, start_value::text, min_value::text,
            max_value::text, increment_by::text, cycle, cache_size::text
       FROM pg_sequences s
      WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.deptype = 'e')`
  )) {
    put(`sequence ${r.name}`, r);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS name,
            CASE WHEN p.prokind = 'a' THEN 'aggregate ' || pg_get_function_identity_arguments(p.oid)
                 ELSE pg_get_functiondef(p.oid) END || coalesce(' -- ' || obj_description(p.oid, 'pg_proc'), '') AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_proc", "p.oid")}`
  )) {
    put(`function ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, t.tgname) AS name, pg_get_triggerdef(t.oid, true) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    put(`trigger ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql'`
  )) {
    put(`extension ${r.extname}`, r);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', n.nspname, t.typname) AS name, t.typtype AS kind,
            CASE t.typtype
              WHEN 'e' THEN (SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)
              WHEN 'd' THEN json_build_object('base', format_type(t.typbasetype, t.typtypmod), 'notnull', t.typnotnull,
                             'default', t.typdefault,
                             'checks', (SELECT json_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname)
                                          FROM pg_constraint c WHERE c.contypid = t.oid))
              WHEN 'r' THEN (SELECT json_build_object('subtype', format_type(rngsubtype, NULL)) FROM pg_range WHERE rngtypid = t.oid)
              WHEN 'c' THEN json_build_object('comment', obj_description(t.oid, 'pg_type'))
            END AS def
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype IN ('e', 'd', 'r') AND ${USER_NS} AND ${NOT_EXT("pg_type", "t.oid")}`
  )) {
    const label = { e: "enum", d: "domain", r: "range type" }[r.kind] ?? "type";
    put(`${label} ${r.name}`, r.def);
  }
  return out;
}
async function dataTables(client) {
  return rows(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name,
            CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'table' END AS label, n.nspname, c.relname,
            coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''), '')
              AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}
        AND (c.relkind <> 'm' OR c.relispopulated)
      ORDER BY 1`
  );
}
async function legacyTablePrint(client, qualified2) {
  const r = await client.query(
    `SELECT count(*)::bigint AS n,
            coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
            coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
       FROM (SELECT md5(ROW(bd_row.*)::text) AS h FROM ONLY ${qualified2} bd_row OFFSET 0) s`
  );
  const row = r.rows[0];
  return { count: Number(row.n), hash: digestOf(`${row.n}:${row.a}:${row.b}`) };
}
async function sequenceValues(client) {
  const out = {};
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS v FROM pg_sequences`
  )) {
    out[r.name] = r.v ?? "unset";
  }
  return out;
}
var lit = (v) => `'${v.replace(/'/g, "''")}'`;
function dumpSessionSettings(s) {
  return [
    "SET LOCAL datestyle = 'ISO'",
    "SET LOCAL intervalstyle = 'postgres'",
    "SET LOCAL extra_float_digits = 3",
    "SET LOCAL timezone = 'UTC'",
    "SELECT pg_catalog.set_config('search_path', '', true)",
    `SET LOCAL bytea_output = ${lit(s.byteaOutput)}`,
    `SET LOCAL lc_monetary = ${lit(s.lcMonetary)}`
  ];
}
async function sessionDefaults(client) {
  const r = await client.query(
    "SELECT current_setting('bytea_output') AS bytea, current_setting('lc_monetary') AS monetary"
  );
  const row = r.rows[0];
  return { byteaOutput: row.bytea, lcMonetary: row.monetary };
}
async function copyTablePrint(client, t, encoding) {
  const sql = t.label === "table" ? `COPY ${t.name}${t.columns ? ` (${t.columns})` : ""} TO STDOUT` : `COPY (SELECT ${t.columns} FROM ONLY ${t.name}) TO STDOUT`;
  const hasher = new RowHasher();
  const recode = encoding !== "UTF8";
  if (recode) await client.query(`SET LOCAL client_encoding = ${lit(encoding)}`);
  try {
    for await (const chunk of client.query((0, import_pg_copy_streams.to)(sql))) hasher.rows(chunk);
  } finally {
    if (recode) await client.query("SET LOCAL client_encoding = 'UTF8'");
  }
  if (hasher.partial) throw new Error(`COPY of ${t.name} ended inside a row`);
  return hasher.digest();
}
async function largeObjectsPrint(client) {
  const set = new SetHash();
  const SLICE = 8 << 20;
  let after = "0";
  for (; ; ) {
    const batch = (await client.query(
      "SELECT oid::text AS oid FROM pg_largeobject_metadata WHERE oid > $1::oid ORDER BY oid LIMIT 1000",
      [after]
    )).rows;
    for (const { oid } of batch) {
      const hash = createHash2("sha256");
      for (let offset = 0; ; offset += SLICE) {
        const r = await client.query("SELECT lo_get($1::oid, $2, $3) AS d", [oid, offset, SLICE]);
        const d = r.rows[0].d;
        hash.update(d);
        if (d.length < SLICE) break;
      }
      set.add(`${oid}:${hash.digest("hex")}`);
    }
    if (batch.length < 1e3) return set;
    after = batch.at(-1).oid;
  }
}
async function databasePrint(client, rowsOf = (t) => legacyTablePrint(client, t.name)) {
  const schema = await schemaPrint(client);
  const data = {};
  for (const t of await dataTables(client)) data[`${t.label} ${t.name}`] = await rowsOf(t);
  return { schema, data, sequences: await sequenceValues(client) };
}

// src/stores/postgres/overlapped.ts
import { spawn } from "node:child_process";
import { open, writeFile } from "node:fs/promises";
import { dirname, join as join2 } from "node:path";

// src/stores/postgres/copy-in.ts
var COPY_DATA = 100;
var COPY_DONE = Buffer.from([99, 0, 0, 0, 4]);
var HEADER = 5;
var FROM_STDIN = / FROM stdin;$/;
var CopyError = class extends Error {
  constructor(message, where) {
    super(message);
    this.where = where;
    this.name = "CopyError";
  }
  where;
};
var CopyFramer = class {
  /** Bytes of the current chunk not yet passed. */
  remaining = 0;
  /** The block's zero-length end marker has been read (it is not passed on). */
  done = false;
  /** Frames `buf` from its start; returns how many of its bytes are ready to send. */
  frame(buf) {
    let i = 0;
    while (!this.done) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length - i);
        i += n;
        this.remaining -= n;
        if (this.remaining > 0) return i;
        continue;
      }
      if (buf.length - i < HEADER) return i;
      if (buf[i] !== 0) throw new Error("a data block has a negative chunk length");
      const length = buf.readUInt32LE(i + 1);
      if (length === 0) {
        this.done = true;
        return i;
      }
      if (length > 2147483643) throw new Error(`a data chunk of ${length} bytes is larger than COPY takes`);
      buf[i] = COPY_DATA;
      buf.writeUInt32BE(length + 4, i + 1);
      i += HEADER;
      this.remaining = length;
    }
    return i;
  }
};
var CopyIn = class {
  constructor(text) {
    this.text = text;
    let fail = [];
    this.ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      fail.push(reject);
    });
    this.complete = new Promise((resolve, reject) => {
      this.onComplete = resolve;
      fail.push(reject);
    });
    this.onError = (err) => {
      for (const f of fail) f(err);
      fail = [];
    };
    this.ready.catch(() => {
    });
    this.complete.catch(() => {
    });
  }
  text;
  connection;
  ready;
  complete;
  onReady;
  onComplete;
  onError;
  failed;
  submit(connection) {
    this.connection = connection;
    connection.query(this.text);
  }
  started() {
    return this.ready;
  }
  finished() {
    return this.complete;
  }
  handleCopyInResponse() {
    this.onReady(this.connection);
  }
  handleCommandComplete() {
  }
  handleReadyForQuery() {
    this.onComplete();
  }
  handleError(err) {
    this.failed = new CopyError(err.message, err.where);
    this.onError(this.failed);
  }
  // Not expected during a COPY FROM; pg calls them on any query that gets these messages.
  handleRowDescription() {
  }
  handleDataRow() {
  }
  handleEmptyQuery() {
  }
  handlePortalSuspended() {
  }
  handleCopyData() {
  }
};
function copyTarget(copyStmt) {
  if (!copyStmt.startsWith("COPY ")) throw new Error(`not a COPY statement: ${copyStmt.slice(0, 80)}`);
  let quoted = false;
  for (let i = 5; i < copyStmt.length; i++) {
    const ch = copyStmt[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === " " && !quoted) return copyStmt.slice(5, i);
  }
  throw new Error(`not a COPY statement: ${copyStmt.slice(0, 80)}`);
}
async function canFreeze(client, stmt) {
  if (!FROM_STDIN.test(stmt)) return false;
  const r = await client.query("SELECT relkind FROM pg_catalog.pg_class WHERE oid = $1::regclass", [copyTarget(stmt)]);
  return r.rows[0]?.relkind === "r";
}
async function copyBlock(client, block, bufSize) {
  let stmt = block.copyStmt.trimEnd();
  const freeze = block.mayFreeze && await canFreeze(client, stmt);
  if (freeze) {
    await client.query("BEGIN");
    await client.query(`TRUNCATE ONLY ${copyTarget(stmt)}`);
    stmt = `${stmt.replace(FROM_STDIN, "")} FROM stdin WITH (FREEZE)`;
  }
  const copy = new CopyIn(stmt);
  client.query(copy);
  const connection = await copy.started();
  const socket = connection.stream;
  const framer = new CopyFramer();
  const buf = Buffer.allocUnsafe(bufSize);
  let pos = 0;
  let carried = 0;
  while (!framer.done) {
    if (copy.failed) throw copy.failed;
    const n = await block.read(buf.subarray(carried), pos);
    const piece = buf.subarray(0, carried + n);
    pos += n;
    const ready = framer.frame(piece);
    if (ready > 0) await write(socket, piece.subarray(0, ready));
    carried = piece.length - ready;
    if (framer.done) break;
    if (carried > 0) buf.copy(buf, 0, ready, piece.length);
  }
  socket.write(COPY_DONE);
  await copy.finished();
  if (freeze) await client.query("COMMIT");
}
async function dropSession(client) {
  client.connection.stream.destroy();
  await client.end().catch(() => {
  });
}
function write(socket, data) {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => err ? reject(err) : resolve());
  });
}

// src/stores/postgres/overlapped.ts
var SECTION_NONE = 1;
var SECTION_PRE_DATA = 2;
var SECTION_DATA = 3;
var SECTION_POST_DATA = 4;
var EARLY_POST_DATA = /* @__PURE__ */ new Set(["INDEX", "CONSTRAINT", "FK CONSTRAINT"]);
var K_OFFSET_POS_SET = 2;
var FEED_BYTES = 1 << 17;
var DIRECT_MIN_PIECES = 16;
function hasTimescale(header) {
  return header.toc.some((e) => e.desc === "EXTENSION" && e.tag === "timescaledb");
}
function runPgRestore(bin, what, args, env, hooks = {}) {
  const proc = spawn(bin, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  hooks.onSpawn?.(proc);
  let stderr = "";
  proc.stderr.on("data", (d) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => {
    proc.once("error", (err) => resolve({ what, code: 127, stderr: `${stderr}${err.message}
` }));
    proc.once("close", (code) => resolve({ what, code: code ?? 1, stderr }));
  });
}
function effectiveSections(toc) {
  const out = /* @__PURE__ */ new Map();
  let current = SECTION_PRE_DATA;
  for (const e of toc) {
    if (e.section !== SECTION_NONE) current = e.section;
    out.set(e, current);
  }
  return out;
}
var PostDataPlan = class {
  constructor(toc, sections) {
    this.sections = sections;
    for (const e of toc) this.byId.set(e.dumpId, e);
    for (const e of toc) {
      if (e.desc !== "TABLE DATA") continue;
      for (const dep of e.dependencies) if (this.byId.get(dep)?.desc === "TABLE") this.dataOf.set(dep, e.dumpId);
    }
    this.entries = toc.filter((e) => sections.get(e) === SECTION_POST_DATA);
  }
  sections;
  /** The post-data entries, in TOC order. */
  entries;
  /** Entries given to an early run. */
  taken = /* @__PURE__ */ new Set();
  /** Entries whose early run succeeded (a failed run's entries satisfy no dependency). */
  done = /* @__PURE__ */ new Set();
  byId = /* @__PURE__ */ new Map();
  /** A TABLE's dump ID -> its TABLE DATA's. */
  dataOf = /* @__PURE__ */ new Map();
  /**
   * The first entry, in TOC order, that can go in now, given the TABLE DATA entries loaded. One at a time: the
   * final run waits for the early one under way (pg_restore -j keeps apart entries that lock the same tables; two
   * runs know nothing of each other), and one entry is one index or constraint's work.
   */
  next(loaded) {
    return this.entries.find(
      (e) => EARLY_POST_DATA.has(e.desc ?? "") && !this.taken.has(e.dumpId) && e.dependencies.some((d) => this.dataOf.has(d)) && e.dependencies.every((d) => this.satisfied(d, loaded))
    );
  }
  /** The entries no early run took. */
  rest() {
    return this.entries.filter((e) => !this.taken.has(e.dumpId));
  }
  satisfied(dep, loaded) {
    const d = this.byId.get(dep);
    if (!d) return false;
    if (d.desc === "TABLE") {
      const data = this.dataOf.get(dep);
      return data !== void 0 && loaded.has(data);
    }
    const section = this.sections.get(d);
    if (section === SECTION_PRE_DATA) return true;
    if (section === SECTION_DATA) return loaded.has(dep);
    return this.done.has(dep);
  }
};
async function overlappedRestore(o) {
  const runs = [];
  const children = /* @__PURE__ */ new Set();
  const active = /* @__PURE__ */ new Set();
  let lists = 0;
  let aborted = false;
  let written = 0;
  let waiters = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const more = () => new Promise((resolve) => waiters.push(resolve));
  const pgRestore = async (what, args) => {
    if (aborted) return void 0;
    let child;
    const onSpawn = (proc) => {
      child = proc;
      children.add(proc);
    };
    const run2 = await runPgRestore(o.pgRestore, what, [...args, "--dbname", o.database], o.env, { onSpawn });
    if (child) children.delete(child);
    runs.push(run2);
    return run2;
  };
  const listFile = async (entries) => {
    const path = join2(dirname(o.file), `list-${lists++}.txt`);
    await writeFile(path, entries.map((e) => `${e.dumpId};
`).join(""));
    return path;
  };
  const track = (p) => {
    active.add(p);
    const done = () => active.delete(p);
    p.then(done, done);
  };
  const direct = [...o.direct ?? []].sort((a, b) => a[1].start - b[1].start);
  let after = 0;
  for (const [id, place] of direct) {
    if (place.start < after || place.end - place.start < BLOCK_HEADER) {
      throw new Error(
        `the backup recorded an impossible place for the data of entry ${id} (bytes ${place.start}-${place.end}): it overlaps another or is too short`
      );
    }
    after = place.end;
  }
  const directAt = new Map(direct.map(([id, place]) => [place.start, { id, ...place }]));
  const fh = await open(o.file, "w+");
  const idle = [];
  const busy = /* @__PURE__ */ new Set();
  let session = "";
  let mayFreeze = false;
  const take = async () => {
    let client = idle.pop();
    if (!client) {
      const fresh = await o.connect();
      fresh.on("error", () => {
      });
      await fresh.query(session).catch(async (err) => {
        await dropSession(fresh);
        throw err;
      });
      client = fresh;
    }
    busy.add(client);
    return client;
  };
  const drop = (client) => {
    busy.delete(client);
    return dropSession(client);
  };
  const reader = (b) => async (buf, pos2) => {
    const at = b.start + BLOCK_HEADER + pos2;
    for (; ; ) {
      if (aborted) throw new Error("the restore was stopped");
      const limit = Math.min(b.end ?? written, written);
      if (at < limit) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, limit - at), at);
        if (bytesRead === 0) throw new Error(`${o.file} ends at ${at}, before the ${written} bytes written`);
        return bytesRead;
      }
      if (b.end !== void 0 && at >= b.end) throw new Error(`the data block of ${b.entry.tag} ends inside a chunk`);
      await more();
    }
  };
  const directReader = (b) => {
    const pieces = o.read(b.start, b.end)[Symbol.asyncIterator]();
    let piece = Buffer.alloc(0);
    const next = async () => {
      if (aborted) throw new Error("the restore was stopped");
      const r = await pieces.next();
      if (r.done) return false;
      piece = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
      return true;
    };
    let checked = false;
    const checkHeader = async () => {
      const header2 = Buffer.alloc(BLOCK_HEADER);
      let have = 0;
      while (have < BLOCK_HEADER && (piece.length > 0 || await next())) {
        const n = piece.copy(header2, have);
        have += n;
        piece = piece.subarray(n);
      }
      if (have < BLOCK_HEADER || header2[0] !== BLK_DATA || header2[1] !== 0 || header2.readUInt32LE(2) !== b.entry.dumpId) {
        throw new Error(
          `the data of ${qualified(b.entry)} is not where the backup recorded it (bytes ${b.start}-${b.end} of the archive)`
        );
      }
      checked = true;
    };
    return {
      read: async (buf) => {
        if (!checked) await checkHeader();
        while (piece.length === 0) {
          if (!await next()) throw new Error(`the data block of ${qualified(b.entry)} ends before its end marker`);
        }
        const n = piece.copy(buf);
        piece = piece.subarray(n);
        return n;
      },
      close: async () => {
        await pieces.return?.(void 0);
      }
    };
  };
  const load = async (batch) => {
    const failed = [];
    let client;
    try {
      for (const b of batch) {
        const copyStmt = b.entry.copyStmt;
        client ??= await take();
        const straight = b.direct ? directReader(b) : void 0;
        try {
          await copyBlock(client, { copyStmt, mayFreeze, read: straight?.read ?? reader(b) }, FEED_BYTES);
          loaded.add(b.entry.dumpId);
        } catch (err) {
          if (aborted || !isServerError(err)) throw err;
          failed.push(`COPY failed for table ${qualified(b.entry)}: ${describeServerError(err)}`);
          await drop(client);
          client = void 0;
        } finally {
          await straight?.close();
        }
      }
    } catch (err) {
      if (client) await drop(client);
      throw err;
    }
    if (client) {
      busy.delete(client);
      idle.push(client);
    }
    const what = `data of ${batch.map((b) => b.entry.tag).join(", ")}`;
    runs.push({ what, code: failed.length > 0 ? 1 : 0, stderr: "", failed });
  };
  const waiting = [];
  const blocks = /* @__PURE__ */ new Map();
  let loading = 0;
  let preDataDone = false;
  const loaded = /* @__PURE__ */ new Set();
  let postData;
  let early = false;
  let earlyRunning = false;
  let streaming = true;
  const size = (b) => o.dataBytes?.get(b.entry.dumpId) ?? (b.end ?? Number.POSITIVE_INFINITY) - b.start;
  const unseen = new Map(o.dataBytes ?? []);
  const largestToCome = () => Math.max(0, ...unseen.values());
  const pump = () => {
    const slots = streaming ? Math.max(1, o.jobs - 1) : o.jobs;
    if (o.dataBytes || !streaming) waiting.sort((a, b) => size(b) - size(a));
    while (preDataDone && !aborted && waiting.length > 0) {
      const reserve = streaming && size(waiting[0]) < largestToCome() ? 1 : 0;
      if (loading + reserve >= slots) break;
      const share = waiting.reduce((n, b) => n + (b.end === void 0 ? 0 : size(b)), 0) / slots;
      const whole = (b) => b.end !== void 0;
      let taken = 1;
      let bytes = size(waiting[0]);
      while (whole(waiting[0]) && taken < waiting.length && whole(waiting[taken]) && bytes + size(waiting[taken]) <= share)
        bytes += size(waiting[taken++]);
      const batch = waiting.splice(0, taken);
      loading++;
      track(
        load(batch).finally(() => {
          loading--;
          pump();
        })
      );
    }
    if (early && !streaming && !earlyRunning && !aborted && waiting.length === 0 && loading > 0 && loading < o.jobs) {
      const entry = postData.next(loaded);
      if (!entry) return;
      postData.taken.add(entry.dumpId);
      earlyRunning = true;
      loading++;
      const run2 = async () => {
        const r = await pgRestore(`post-data (early: ${entry.desc} ${entry.tag})`, [
          "-L",
          await listFile([entry]),
          o.file
        ]);
        if (r?.code === 0) postData.done.add(entry.dumpId);
      };
      track(
        run2().finally(() => {
          earlyRunning = false;
          loading--;
          pump();
        })
      );
    }
  };
  let header;
  let sections;
  let preData;
  const events = [];
  const printer = new CustomArchivePrinter(() => false, {
    head: (h) => {
      events.push(async () => {
        header = h;
        session = sessionSetup(h);
        sections = effectiveSections(h.toc);
        postData = new PostDataPlan(h.toc, sections);
        mayFreeze = !hasTimescale(h);
        await o.beforeRestore?.(h);
        preData = pgRestore("pre-data", ["--section=pre-data", o.file]).then((run2) => {
          preDataDone = true;
          early = run2?.code === 0 && !hasTimescale(h);
          pump();
        });
        track(preData);
      });
    },
    blockStart: (entry, start) => {
      if (entry.desc !== "TABLE DATA" || !entry.copyStmt) return;
      const b = { entry, start, direct: o.direct?.has(entry.dumpId) === true };
      blocks.set(entry, b);
      waiting.push(b);
      unseen.delete(entry.dumpId);
    },
    block: (entry, start, end) => {
      const b = blocks.get(entry);
      if (b) b.end = end;
      events.push(async () => {
        if (entry.offsetPos === void 0 || !header) return;
        const field = Buffer.alloc(1 + header.offSize);
        field[0] = K_OFFSET_POS_SET;
        for (let i = 0, v = start; i < header.offSize; i++, v = Math.floor(v / 256)) field[1 + i] = v % 256;
        await fh.write(field, 0, field.length, entry.offsetPos);
      });
    }
  });
  async function* around() {
    let at = 0;
    for (const [, place] of direct) {
      if (place.start > at) yield* o.read(at, place.start);
      at = place.end;
    }
    yield* o.read(at);
  }
  let pos = 0;
  const passDirect = () => {
    for (let d = directAt.get(pos); d; d = directAt.get(pos)) {
      const entry = printer.passOver(d.id, d.start, d.end);
      if (!blocks.has(entry)) throw new Error(`entry ${d.id} (${entry.desc} ${entry.tag}) holds no COPY rows to load`);
      pos = d.end;
    }
  };
  try {
    for await (const chunk of around()) {
      passDirect();
      printer.push(chunk);
      let done = 0;
      while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done, pos + done)).bytesWritten;
      pos += chunk.length;
      for (const ev of events.splice(0)) await ev();
      written = pos;
      wake();
      pump();
    }
    passDirect();
    printer.end();
    for (const ev of events.splice(0)) await ev();
    streaming = false;
    pump();
    const otherData = header.toc.filter((e) => sections.get(e) === SECTION_DATA && !blocks.has(e));
    if (otherData.length > 0) {
      const list = await listFile(otherData);
      track(preData.then(() => pgRestore("data (other)", ["-L", list, o.file]).then(() => {
      })));
    }
    while (active.size > 0) await Promise.race(active);
    const rest = postData.rest();
    if (postData.taken.size === 0) await pgRestore("post-data", ["-j", String(o.jobs), "--section=post-data", o.file]);
    else if (rest.length > 0) await pgRestore("post-data", ["-j", String(o.jobs), "-L", await listFile(rest), o.file]);
    return runs;
  } catch (err) {
    aborted = true;
    wake();
    for (const c of children) c.kill("SIGTERM");
    for (const c of busy) void dropSession(c);
    await Promise.allSettled([...active]);
    throw err;
  } finally {
    await Promise.allSettled([...idle, ...busy].map((c) => c.end()));
    await fh.close();
  }
}
function sessionSetup(header) {
  const entry = (desc) => header.toc.find((e) => e.desc === desc)?.defn ?? "";
  const stdStrings = entry("STDSTRINGS");
  return [
    "SET statement_timeout = 0;",
    "SET lock_timeout = 0;",
    "SET idle_in_transaction_session_timeout = 0;",
    // PostgreSQL 17's transaction_timeout, on servers that have it.
    "SELECT pg_catalog.set_config('transaction_timeout', '0', false) WHERE pg_catalog.current_setting('transaction_timeout', true) IS NOT NULL;",
    entry("ENCODING"),
    stdStrings,
    entry("SEARCHPATH"),
    "SET check_function_bodies = false;",
    "SET xmloption = content;",
    "SET client_min_messages = warning;",
    .../'off'/.test(stdStrings) ? ["SET escape_string_warning = off;"] : [],
    "SET row_security = off;"
  ].join("\n");
}
function isServerError(err) {
  return err instanceof CopyError || err instanceof Error && "severity" in err && "code" in err;
}
function describeServerError(err) {
  const where = err.where?.split("\n")[0]?.replace(/: ".*$/s, "");
  return where ? `${err.message} (${where})` : err.message;
}
function qualified(e) {
  return e.namespace ? `${e.namespace}.${e.tag}` : `${e.tag}`;
}

// src/stores/postgres/adapter.ts
var GLOBALS = "globals.sql";
var dumpArtifact = (db) => `databases/${encodeURIComponent(db)}.dump`;
var dirArtifactPrefix = (db) => `databases/${encodeURIComponent(db)}/`;
function databasesIn(source) {
  const dbs = /* @__PURE__ */ new Set();
  for (const n of source.names()) {
    const m = /^databases\/([^/]+?)(?:\.dump|\/.*)$/.exec(n);
    if (m) dbs.add(decodeURIComponent(m[1]));
  }
  return [...dbs].sort();
}
function printParams(fp) {
  const p = fp?.params;
  return p?.rows === ROW_HASH_METHOD && p.databases ? p : void 0;
}
var TOTALS = "all tables";
var LARGE_OBJECTS = "large objects";
function withTotals(data, largeObjects) {
  const names = Object.keys(data).sort();
  const count = names.reduce((n, k) => n + data[k].count, 0);
  const totals = { count, hash: digestOf(names.map((k) => `${k}	${data[k].hash}`).join("\n")) };
  const out = { ...data, [TOTALS]: totals };
  return largeObjects.count > 0 ? { ...out, [LARGE_OBJECTS]: largeObjects.digest() } : out;
}
var ByDumpId = external_exports.record(external_exports.string().regex(/^\d+$/), external_exports.number().int().min(0));
function recordedBlocks(capture, db) {
  const parsed = external_exports.object({
    details: external_exports.object({
      databases: external_exports.array(
        external_exports.object({ database: external_exports.string(), dataBytes: ByDumpId.optional(), dataStarts: ByDumpId.optional() })
      )
    })
  }).safeParse(capture);
  const recorded = parsed.success ? parsed.data.details.databases.find((d) => d.database === db) : void 0;
  if (!recorded?.dataBytes) return {};
  const bytes = new Map(Object.entries(recorded.dataBytes).map(([id, n]) => [Number(id), n]));
  if (!recorded.dataStarts) return { bytes };
  const places = /* @__PURE__ */ new Map();
  for (const [id, start] of Object.entries(recorded.dataStarts)) {
    const size = bytes.get(Number(id));
    if (size !== void 0) places.set(Number(id), { start, end: start + size });
  }
  return { bytes, places };
}
async function* observed(source, see) {
  for await (const chunk of source) {
    see(chunk);
    yield chunk;
  }
}
function serverMajor(versionNum) {
  return Math.floor(versionNum / 1e4);
}
function run(proc, what) {
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += d.toString();
    if (stderr.length > 1e6) stderr = stderr.slice(-5e5);
  });
  return new Promise((resolve, reject) => {
    proc.once("error", (err) => reject(new BackdrillError("fatal", `${what}: ${err.message}`, { cause: err })));
    proc.once("close", (code, signal) => {
      if (code === 0) resolve(stderr);
      else {
        const tail = stderr.trim().split("\n").slice(-8).join("\n");
        reject(new BackdrillError("fatal", `${what} failed (${signal ?? `exit ${code}`}): ${tail}`));
      }
    });
  });
}
var PostgresAdapter = class _PostgresAdapter {
  constructor(config) {
    this.config = config;
    this.name = config.name;
    this.conn = parsePgUrl(config.url, config.name);
  }
  config;
  kind = "postgres";
  name;
  conn;
  async server(client) {
    const r = await client.query(
      "SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n"
    );
    const row = r.rows[0];
    return { version: row.v, num: row.n, bins: findBinaries(serverMajor(row.n), this.name, this.config.binDir) };
  }
  async selectDatabases(client) {
    const all = (await client.query("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname")).rows.map((r) => r.datname);
    const wanted = this.config.databases ?? all;
    const missing = wanted.filter((d) => !all.includes(d));
    if (missing.length > 0) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: database(s) ${missing.join(", ")} do not exist on ${describeConn(this.conn)}`,
        {
          hint: `the server has: ${all.join(", ")}`
        }
      );
    }
    const chosen = wanted.filter((d) => !this.config.exclude.includes(d));
    if (chosen.length === 0) throw new BackdrillError("usage", `store ${this.name}: no databases left to back up`);
    return chosen;
  }
  async probe() {
    const client = await connect(this.conn, this.name);
    try {
      const { version } = await this.server(client);
      const dbs = (await client.query(
        `SELECT datname, pg_database_size(oid)::bigint AS size, pg_encoding_to_char(encoding) AS encoding
             FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname`
      )).rows;
      const databases = [];
      for (const d of dbs) {
        const c = await connect(withDatabase(this.conn, d.datname), this.name);
        try {
          const ext = (await c.query("SELECT extname, extversion FROM pg_extension ORDER BY 1")).rows;
          databases.push({ name: d.datname, size: Number(d.size), encoding: d.encoding, extensions: ext });
        } finally {
          await c.end();
        }
      }
      return { kind: this.kind, version, details: { databases } };
    } finally {
      await client.end();
    }
  }
  async backup(sink) {
    const admin = await connect(this.conn, this.name);
    const warnings = [];
    const params = { rows: ROW_HASH_METHOD, databases: {} };
    const fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const details = [];
    let version;
    let earliest;
    try {
      const server = await this.server(admin);
      version = server.version;
      const databases = await this.selectDatabases(admin);
      if (this.config.globals) {
        const proc = spawn2(
          server.bins.pgDumpAll,
          ["--globals-only", ...this.config.rolePasswords ? [] : ["--no-role-passwords"]],
          { env: libpqEnv(this.conn), stdio: ["ignore", "pipe", "pipe"] }
        );
        await Promise.all([
          sink.add(GLOBALS, proc.stdout, { disposable: true }),
          run(proc, "pg_dumpall --globals-only")
        ]);
      }
      for (const db of databases) {
        const d = await this.backupDatabase(db, server.bins, sink, fingerprint, params, warnings);
        details.push(d);
        if (!earliest || String(d.at) < earliest) earliest = String(d.at);
      }
    } finally {
      await admin.end();
    }
    return {
      capture: {
        at: earliest ?? (/* @__PURE__ */ new Date()).toISOString(),
        serverVersion: version,
        details: { databases: details, format: this.config.format, globals: this.config.globals }
      },
      fingerprint: { ...fingerprint, params: { ...params } },
      warnings
    };
  }
  async backupDatabase(db, bins, sink, fingerprint, params, warnings) {
    const conn = withDatabase(this.conn, db);
    const client = await connect(conn, this.name);
    let tmp;
    try {
      const defaults = await sessionDefaults(client);
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const meta = (await client.query(
        `SELECT pg_export_snapshot() AS snapshot, now() AS at,
                  pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
                  CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn
             FROM pg_database d WHERE d.datname = current_database()`
      )).rows[0];
      const session = { encoding: meta.encoding, ...defaults };
      for (const s of dumpSessionSettings(session)) await client.query(s);
      const seqBefore = await sequenceValues(client);
      const tables = await dataTables(client);
      const byRawName = new Map(tables.map((t) => [`${t.nspname}\0${t.relname}`, t]));
      const tableOf = (e) => byRawName.get(`${e.namespace}\0${e.tag}`);
      const rows2 = /* @__PURE__ */ new Map();
      const wanted = (e) => e.desc === "BLOBS" || tableOf(e) !== void 0;
      const guarded = (step) => {
        try {
          return step();
        } catch (err) {
          throw new BackdrillError(
            "fatal",
            `store ${this.name}, database ${db}: cannot read pg_dump's archive to fingerprint it: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err }
          );
        }
      };
      const env = { ...libpqEnv(conn), PGCLIENTENCODING: meta.encoding };
      const common = ["--snapshot", meta.snapshot, "--no-sync", "--dbname", db];
      const dataBytes = {};
      const dataStarts = {};
      let dumpDone;
      if (this.config.format === "custom") {
        const proc = spawn2(bins.pgDump, ["-Fc", "-Z0", ...common], { env, stdio: ["ignore", "pipe", "pipe"] });
        const exited = run(proc, `pg_dump of ${db}`);
        exited.catch(() => {
        });
        const printer = new CustomArchivePrinter(wanted, {
          block: (e, start, end) => {
            if (e.desc !== "TABLE DATA") return;
            dataBytes[e.dumpId] = end - start;
            dataStarts[e.dumpId] = start;
          }
        });
        const source = observed(proc.stdout, (chunk) => guarded(() => printer.push(chunk)));
        dumpDone = sink.add(dumpArtifact(db), source, { disposable: true }).then(
          async () => {
            await exited;
            guarded(() => printer.end());
            return printer;
          },
          async (err) => {
            proc.kill("SIGTERM");
            await exited.catch(() => {
            });
            throw err;
          }
        );
      } else {
        tmp = await mkdtemp(join3(tmpdir(), "backdrill-pgdump-"));
        const out = join3(tmp, "dump");
        const proc = spawn2(bins.pgDump, ["-Fd", "-Z0", "-j", String(this.config.jobs), "-f", out, ...common], {
          env,
          stdio: ["ignore", "ignore", "pipe"]
        });
        dumpDone = run(proc, `pg_dump of ${db}`).then(async () => {
          const toc = await readFile(join3(out, "toc.dat"));
          const printer = guarded(() => {
            const head = parseArchiveHead(toc);
            if (!head) throw new Error("toc.dat is truncated");
            return new DirectoryArchivePrinter(head.header, wanted);
          });
          for (const f of (await readdir(out)).sort()) {
            const file = printer.file(f);
            const source = observed(createReadStream(join3(out, f)), (chunk) => guarded(() => file.push(chunk)));
            await sink.add(`${dirArtifactPrefix(db)}${f}`, source, { disposable: true });
            guarded(() => file.end());
          }
          return printer;
        });
      }
      const [archive, schema] = await Promise.all([dumpDone, schemaPrint(client)]);
      for (const t of archive.tables) rows2.set(tableOf(t.entry), { count: t.count, hash: t.hash });
      for (const t of tables) if (!rows2.has(t)) rows2.set(t, await copyTablePrint(client, t, session.encoding));
      params.databases[db] = session;
      const print = { schema, data: Object.fromEntries(tables.map((t) => [`${t.label} ${t.name}`, rows2.get(t)])) };
      const seqAfter = await sequenceValues(client);
      await client.query("COMMIT");
      const prefix = `${db}: `;
      for (const [k, v] of Object.entries(print.schema)) fingerprint.schema[prefix + k] = v;
      for (const [k, v] of Object.entries(withTotals(print.data, archive.largeObjects)))
        fingerprint.data[prefix + k] = v;
      const moved = [];
      for (const [seq, before] of Object.entries(seqBefore)) {
        const stable = seqAfter[seq] === before;
        fingerprint.schema[`${prefix}sequence value ${seq}`] = stable ? before : UNCOMPARED;
        if (!stable) moved.push(seq);
      }
      if (moved.length > 0) {
        warnings.push(
          `${this.name}/${db}: sequence(s) ${moved.slice(0, 5).join(", ")}${moved.length > 5 ? ", ..." : ""} advanced during the backup; their restored values are not compared (rows are: they come from the snapshot)`
        );
      }
      return {
        database: db,
        snapshot: meta.snapshot,
        at: meta.at.toISOString(),
        lsn: meta.lsn,
        encoding: meta.encoding,
        collate: meta.collate,
        ctype: meta.ctype,
        ...this.config.format === "custom" ? { dataBytes, dataStarts } : {}
      };
    } finally {
      await client.end().catch(() => {
      });
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }
  target(spec, source) {
    const dbs = databasesIn(source);
    if (dbs.length === 0)
      throw new BackdrillError("integrity", `store ${this.name}: the snapshot holds no database dumps`);
    const conn = spec ? parsePgUrl(spec, this.name) : this.conn;
    const named = spec ? new URL(spec).pathname.replace(/^\//, "") : "";
    let databases;
    if (named) {
      if (dbs.length > 1) {
        throw new BackdrillError(
          "usage",
          `the snapshot holds ${dbs.length} databases (${dbs.join(", ")}); the target names one`,
          {
            hint: "give a server URL without a database name: each database is restored under its own name"
          }
        );
      }
      databases = [{ from: dbs[0], to: decodeURIComponent(named) }];
    } else {
      databases = dbs.map((d) => ({ from: d, to: d }));
    }
    return { conn: withDatabase(conn, "postgres"), databases, globals: source.names().includes(GLOBALS) };
  }
  async backupTarget(target, sink) {
    const admin = await connect(target.conn, this.name);
    let existing;
    try {
      const names = target.databases.map((d) => d.to);
      existing = (await admin.query("SELECT datname FROM pg_database WHERE datname = ANY($1)", [names])).rows.map(
        (r) => r.datname
      );
    } finally {
      await admin.end();
    }
    const url = new URL(this.config.url);
    url.hostname = target.conn.host;
    url.port = String(target.conn.port);
    url.username = encodeURIComponent(target.conn.user);
    url.password = target.conn.password === void 0 ? "" : encodeURIComponent(target.conn.password);
    url.pathname = "/postgres";
    const adapter = new _PostgresAdapter({
      ...this.config,
      url: url.toString(),
      databases: existing,
      exclude: [],
      globals: false
    });
    return adapter.backup(sink);
  }
  async targetIsEmpty(target) {
    const admin = await connect(target.conn, this.name);
    try {
      for (const { to } of target.databases) {
        const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [to])).rowCount;
        if (!exists) continue;
        const c = await connect(withDatabase(target.conn, to), this.name);
        try {
          const n = (await c.query(
            `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND s.nspname NOT LIKE 'pg_temp%'
                  AND s.nspname NOT LIKE 'pg_toast_temp%'`
          )).rows[0];
          if (n.n > 0) return false;
        } finally {
          await c.end();
        }
      }
      return true;
    } finally {
      await admin.end();
    }
  }
  async restore(source, target, options) {
    const admin = await connect(target.conn, this.name);
    const warnings = [];
    const failures = [];
    const tmp = await mkdtemp(join3(tmpdir(), "backdrill-pgrestore-"));
    try {
      const { bins } = await this.server(admin);
      if (target.globals) failures.push(...await this.restoreGlobals(source, target, bins));
      for (const { from, to } of target.databases) {
        options.signal?.throwIfAborted();
        failures.push(...await this.restoreDatabase(source, target, bins, admin, from, to, tmp, options));
      }
    } finally {
      await admin.end().catch(() => {
      });
      await rm(tmp, { recursive: true, force: true });
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} object(s) failed to restore into ${describeConn(target.conn)}`,
        failures
      );
    }
    return { warnings };
  }
  async restoreGlobals(source, target, bins) {
    const proc = spawn2(bins.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=0", "-d", "postgres", "-f", "-"], {
      env: libpqEnv(target.conn),
      stdio: ["pipe", "ignore", "pipe"]
    });
    const done = run(proc, "psql (globals)");
    await pipeline(source.open(GLOBALS), proc.stdin);
    const stderr = await done;
    return stderr.split("\n").filter((l) => /ERROR:/.test(l) && !/already exists/.test(l)).map((l) => `globals: ${l.replace(/^psql:[^:]*:\d+: /, "")}`);
  }
  async restoreDatabase(source, target, bins, admin, from, to, tmp, options) {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [to])).rowCount;
    if (exists) {
      if (!options.force) {
        const empty = await this.targetIsEmpty({ ...target, databases: [{ from, to }] });
        if (!empty) {
          throw new BackdrillError(
            "usage",
            `store ${this.name}: database ${to} on ${describeConn(target.conn)} is not empty`,
            {
              hint: "restore into an empty database, or pass --force (the current contents are saved as a safety snapshot first)"
            }
          );
        }
      }
      await admin.query(`DROP DATABASE ${quoteIdent(to)} WITH (FORCE)`);
    }
    const created = admin.query(`CREATE DATABASE ${quoteIdent(to)} TEMPLATE template0 ENCODING 'UTF8'`);
    created.catch(() => {
    });
    const conn = withDatabase(target.conn, to);
    const env = libpqEnv(conn);
    const jobs = Math.max(1, options.jobs ?? this.config.jobs);
    const timescale = {};
    const beforeRestore = async (header) => {
      await created;
      if (!hasTimescale(header)) return;
      timescale.client = await connect(conn, this.name);
      await timescale.client.query("CREATE EXTENSION IF NOT EXISTS timescaledb");
      await timescale.client.query("SELECT timescaledb_pre_restore()");
    };
    let runs;
    try {
      if (source.names().includes(dumpArtifact(from))) {
        const name = dumpArtifact(from);
        const recorded = recordedBlocks(source.capture, from);
        const minDirect = (source.averagePiece ?? Number.POSITIVE_INFINITY) * DIRECT_MIN_PIECES;
        const direct = new Map([...recorded.places ?? []].filter(([, p]) => p.end - p.start >= minDirect));
        runs = await overlappedRestore({
          read: (start, end) => source.open(name, { releaseConsumed: true, range: end === void 0 ? { start } : { start, end } }),
          direct,
          file: join3(tmp, `${encodeURIComponent(from)}.dump`),
          pgRestore: bins.pgRestore,
          env,
          database: to,
          connect: () => connect(conn, this.name),
          jobs,
          beforeRestore,
          dataBytes: recorded.bytes
        });
      } else {
        const archive = join3(tmp, `${encodeURIComponent(from)}.dir`);
        await mkdir(archive);
        for (const n of source.names().filter((x) => x.startsWith(dirArtifactPrefix(from)))) {
          await pipeline(
            source.open(n, { releaseConsumed: true }),
            createWriteStream(join3(archive, n.slice(dirArtifactPrefix(from).length)))
          );
        }
        const head = parseArchiveHead(await readFile(join3(archive, "toc.dat")));
        if (!head) throw new BackdrillError("integrity", `store ${this.name}: ${from}/toc.dat is truncated`);
        await beforeRestore(head.header);
        const args = ["-j", String(jobs), "--dbname", to, archive];
        runs = [await runPgRestore(bins.pgRestore, "pg_restore", args, env)];
      }
      await timescale.client?.query("SELECT timescaledb_post_restore()");
    } finally {
      await timescale.client?.end().catch(() => {
      });
      await created.catch(() => {
      });
    }
    const failures = [];
    for (const r of runs) {
      if (r.code === 0) continue;
      const listed = r.failed ?? parseRestoreErrors(r.stderr);
      failures.push(
        ...listed.length > 0 ? listed.map((f) => `${from}: ${f}`) : [`${from}: pg_restore (${r.what}) exited with code ${r.code}: ${r.stderr.trim().slice(-500)}`]
      );
    }
    return failures;
  }
  async fingerprint(target, recorded) {
    const legacy = recorded !== void 0 && printParams(recorded) === void 0;
    const params = { rows: ROW_HASH_METHOD, databases: {} };
    const fp = { version: 1, kind: this.kind, schema: {}, data: {} };
    for (const { from, to } of target.databases) {
      const client = await connect(withDatabase(target.conn, to), this.name);
      try {
        let print;
        let largeObjects;
        if (legacy) {
          await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          for (const s of STABLE_SETTINGS) await client.query(s);
          print = await databasePrint(client);
        } else {
          const session = printParams(recorded)?.databases[from] ?? {
            encoding: (await client.query("SELECT pg_client_encoding() AS e")).rows[0].e,
            ...await sessionDefaults(client)
          };
          await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          for (const s of dumpSessionSettings(session)) await client.query(s);
          print = await databasePrint(client, (t) => copyTablePrint(client, t, session.encoding));
          largeObjects = await largeObjectsPrint(client);
          params.databases[from] = session;
        }
        await client.query("COMMIT");
        const prefix = `${from}: `;
        for (const [k, v] of Object.entries(print.schema)) fp.schema[prefix + k] = v;
        for (const [k, v] of Object.entries(largeObjects ? withTotals(print.data, largeObjects) : print.data))
          fp.data[prefix + k] = v;
        for (const [seq, v] of Object.entries(print.sequences)) fp.schema[`${prefix}sequence value ${seq}`] = v;
      } finally {
        await client.end().catch(() => {
        });
      }
    }
    return legacy ? fp : { ...fp, params: { ...params } };
  }
};
function parseRestoreErrors(stderr) {
  const out = [];
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!/^pg_restore: error:/.test(l)) continue;
    let msg = l.replace(/^pg_restore: error: (could not execute query: )?/, "");
    const cmd = lines.slice(i + 1, i + 6).find((x) => x.startsWith("Command was:"));
    if (cmd) msg += ` (${cmd.replace("Command was: ", "").slice(0, 160)})`;
    out.push(msg);
  }
  return out;
}
export {
  LARGE_OBJECTS,
  PostgresAdapter,
  TOTALS,
  parseRestoreErrors,
  recordedBlocks
};
