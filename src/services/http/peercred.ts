import { dlopen, FFIType, ptr } from "bun:ffi";
import { ServicesError } from "../errors.ts";

/** The kernel's view of who is on the other end of a Unix socket (struct ucred). */
export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

// Linux values (asm-generic/socket.h); every architecture the agent ships for uses them.
const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_BYTES = 12;

let libc: ReturnType<typeof open> | undefined;

function open() {
  return dlopen("libc.so.6", {
    getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  });
}

/**
 * SO_PEERCRED of a connected Unix socket: the credentials the peer had when
 * it called connect(), recorded by the kernel, so a caller cannot claim to
 * be someone else. Neither Bun.serve nor node:http expose it; the sockets of
 * Bun.listen carry their descriptor, which is read here once, at accept,
 * while it certainly still names this connection.
 */
export function peerCredOf(fd: number): PeerCred {
  if (!Number.isInteger(fd) || fd < 0) throw new ServicesError("services.peercred", `no descriptor for the connection (fd ${fd})`);
  libc ??= open();
  const cred = new Int32Array(3);
  const len = new Uint32Array([UCRED_BYTES]);
  const rc = libc.symbols.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ptr(cred), ptr(len));
  if (rc !== 0 || len[0] !== UCRED_BYTES) throw new ServicesError("services.peercred", `getsockopt(SO_PEERCRED) failed on fd ${fd}`);
  return { pid: cred[0]!, uid: cred[1]! >>> 0, gid: cred[2]! >>> 0 };
}
