// Generated from descriptor.generated.ts by scripts/gen-codec.ts; do not edit.
// Run `node_modules/.bin/bun run scripts/gen-codec.ts` after regenerating the descriptor;
// codec-gen.test.ts fails while this file is stale.
// @ts-nocheck
import $protobuf from "protobufjs/minimal";
import { tableEncoder, tableVerifier } from "./table-codec.ts";
import type { WireType } from "./wire.ts";

const Reader = $protobuf.Reader;
const util = $protobuf.util;

/**
 * A type whose fields and functions are made on first use: a start that
 * touches a few messages compiles only theirs.
 */
function lazy(name, setup) {
  const t = { name };
  const init = () => {
    const made = setup();
    for (const k of ["fields", "byId", "encode", "decode", "verify"]) Object.defineProperty(t, k, { value: made[k], enumerable: true });
    return t;
  };
  for (const k of ["fields", "byId", "encode", "decode", "verify"]) Object.defineProperty(t, k, { get: () => init()[k], configurable: true, enumerable: true });
  return t;
}

const T0 = lazy("google.protobuf.Timestamp", () => {
  const fields = [
    { name: "seconds", id: 1, type: "int64", repeated: false, isEnum: false, explicitPresence: false, tag: 8, write: "int64", packed: false, check: "long", oneof: null, message: null },
    { name: "nanos", id: 2, type: "int32", repeated: false, isEnum: false, explicitPresence: false, tag: 16, write: "int32", packed: false, check: "number", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(typeof(v=r.int64())==="object"?v.low||v.high:v!==0)
  m.seconds=v
  else
  delete m.seconds
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.int32())
  m.nanos=v
  else
  delete m.nanos
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T1 = lazy("org.lfedge.eve.common.EncryptionBlock", () => {
  const fields = [
    { name: "dsAPIKey", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "dsPassword", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "wifiUserName", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "wifiPassword", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "protectedUserData", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cellular_net_username", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cellular_net_password", id: 7, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 58, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cluster_token", id: 8, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 66, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "encrypted_data", id: 10, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 82, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cellular_net_attach_username", id: 11, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 90, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cellular_net_attach_password", id: 12, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 98, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "gzip_registration_manifest_yaml", id: 13, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 106, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "scep_challenge_password", id: 14, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 114, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.dsAPIKey=v
  else
  delete m.dsAPIKey
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.dsPassword=v
  else
  delete m.dsPassword
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.wifiUserName=v
  else
  delete m.wifiUserName
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.wifiPassword=v
  else
  delete m.wifiPassword
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.protectedUserData=v
  else
  delete m.protectedUserData
  continue
  }
  case 6:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cellular_net_username=v
  else
  delete m.cellular_net_username
  continue
  }
  case 7:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cellular_net_password=v
  else
  delete m.cellular_net_password
  continue
  }
  case 8:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cluster_token=v
  else
  delete m.cluster_token
  continue
  }
  case 10:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.encrypted_data=v
  else
  delete m.encrypted_data
  continue
  }
  case 11:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cellular_net_attach_username=v
  else
  delete m.cellular_net_attach_username
  continue
  }
  case 12:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cellular_net_attach_password=v
  else
  delete m.cellular_net_attach_password
  continue
  }
  case 13:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.gzip_registration_manifest_yaml=v
  else
  delete m.gzip_registration_manifest_yaml
  continue
  }
  case 14:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.scep_challenge_password=v
  else
  delete m.scep_challenge_password
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null, null, null, null, null, null, null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T2 = lazy("org.lfedge.eve.common.CipherContext", () => {
  const fields = [
    { name: "contextId", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "hashScheme", id: 2, type: "HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, tag: 16, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "keyExchangeScheme", id: 3, type: "KeyExchangeScheme", repeated: false, isEnum: true, explicitPresence: false, tag: 24, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "encryptionScheme", id: 4, type: "EncryptionScheme", repeated: false, isEnum: true, explicitPresence: false, tag: 32, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "deviceCertHash", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "controllerCertHash", id: 6, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.contextId=v
  else
  delete m.contextId
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.int32())
  m.hashScheme=v
  else
  delete m.hashScheme
  continue
  }
  case 3:{
  if(u!==0)
  break
  if(v=r.int32())
  m.keyExchangeScheme=v
  else
  delete m.keyExchangeScheme
  continue
  }
  case 4:{
  if(u!==0)
  break
  if(v=r.int32())
  m.encryptionScheme=v
  else
  delete m.encryptionScheme
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.deviceCertHash=v
  else
  delete m.deviceCertHash
  continue
  }
  case 6:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.controllerCertHash=v
  else
  delete m.controllerCertHash
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T3 = lazy("org.lfedge.eve.common.CipherBlock", () => {
  const fields = [
    { name: "cipherContextId", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "initialValue", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "cipherData", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "clearTextSha256", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cipherContextId=v
  else
  delete m.cipherContextId
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.initialValue=v
  else
  delete m.initialValue
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.cipherData=v
  else
  delete m.cipherData
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.clearTextSha256=v
  else
  delete m.clearTextSha256
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T4 = lazy("org.lfedge.eve.auth.AuthBody", () => {
  const fields = [
    { name: "payload", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.payload=v
  else
  delete m.payload
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T5 = lazy("org.lfedge.eve.auth.AuthContainer", () => {
  const fields = [
    { name: "protectedPayload", id: 1, type: "AuthBody", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: null, packed: false, check: "presence", oneof: null, message: T4 },
    { name: "algo", id: 2, type: "org.lfedge.eve.common.HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, tag: 16, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "senderCertHash", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "signatureHash", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "senderCert", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "cipherContext", id: 6, type: "org.lfedge.eve.common.CipherContext", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: null, packed: false, check: "presence", oneof: null, message: T2 },
    { name: "cipherData", id: 7, type: "org.lfedge.eve.common.CipherBlock", repeated: false, isEnum: false, explicitPresence: false, tag: 58, write: null, packed: false, check: "presence", oneof: null, message: T3 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  m.protectedPayload=types[0].decode(r,r.size(),undefined,q+1,m.protectedPayload)
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.int32())
  m.algo=v
  else
  delete m.algo
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.senderCertHash=v
  else
  delete m.senderCertHash
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.signatureHash=v
  else
  delete m.signatureHash
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.senderCert=v
  else
  delete m.senderCert
  continue
  }
  case 6:{
  if(u!==2)
  break
  m.cipherContext=types[5].decode(r,r.size(),undefined,q+1,m.cipherContext)
  continue
  }
  case 7:{
  if(u!==2)
  break
  m.cipherData=types[6].decode(r,r.size(),undefined,q+1,m.cipherData)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [T4, null, null, null, null, T2, T3], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T6 = lazy("org.lfedge.eve.certs.ZControllerCert", () => {
  const fields = [
    { name: "certs", id: 1, type: "ZCert", repeated: true, isEnum: false, explicitPresence: false, tag: 10, write: null, packed: false, check: "presence", oneof: null, message: T9 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:
  {
  if(u!==2)
  break
  if(!(m.certs&&m.certs.length))
  m.certs=[]
  m.certs.push(types[0].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [T9], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T7 = lazy("org.lfedge.eve.certs.ZCertMetaData", () => {
  const fields = [
    { name: "type", id: 1, type: "ZCertMetaDataType", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "meta_data", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.type=v
  else
  delete m.type
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.meta_data=v
  else
  delete m.meta_data
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T8 = lazy("org.lfedge.eve.certs.ZCertAttr", () => {
  const fields = [
    { name: "is_mutable", id: 1, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 8, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "is_tpm", id: 2, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 16, write: "bool", packed: false, check: "bool", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.bool())
  m.is_mutable=v
  else
  delete m.is_mutable
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.bool())
  m.is_tpm=v
  else
  delete m.is_tpm
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T9 = lazy("org.lfedge.eve.certs.ZCert", () => {
  const fields = [
    { name: "hashAlgo", id: 1, type: "org.lfedge.eve.common.HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "certHash", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "type", id: 3, type: "ZCertType", repeated: false, isEnum: true, explicitPresence: false, tag: 24, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "cert", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "attributes", id: 5, type: "ZCertAttr", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: null, packed: false, check: "presence", oneof: null, message: T8 },
    { name: "meta_data_items", id: 6, type: "ZCertMetaData", repeated: true, isEnum: false, explicitPresence: false, tag: 50, write: null, packed: false, check: "presence", oneof: null, message: T7 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.hashAlgo=v
  else
  delete m.hashAlgo
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.certHash=v
  else
  delete m.certHash
  continue
  }
  case 3:{
  if(u!==0)
  break
  if(v=r.int32())
  m.type=v
  else
  delete m.type
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.cert=v
  else
  delete m.cert
  continue
  }
  case 5:{
  if(u!==2)
  break
  m.attributes=types[4].decode(r,r.size(),undefined,q+1,m.attributes)
  continue
  }
  case 6:
  {
  if(u!==2)
  break
  if(!(m.meta_data_items&&m.meta_data_items.length))
  m.meta_data_items=[]
  m.meta_data_items.push(types[5].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null, T8, T7], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T10 = lazy("org.lfedge.eve.register.ZRegisterMsg", () => {
  const fields = [
    { name: "onBoardKey", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "pemCert", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "serial", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "softSerial", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.onBoardKey=v
  else
  delete m.onBoardKey
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.pemCert=v
  else
  delete m.pemCert
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.serial=v
  else
  delete m.serial
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.softSerial=v
  else
  delete m.softSerial
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T11 = lazy("org.lfedge.eve.uuid.UuidRequest", () => {
  const fields = [
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  r.skipType(t&7,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T12 = lazy("org.lfedge.eve.uuid.UuidResponse", () => {
  const fields = [
    { name: "uuid", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "manufacturer", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "product_name", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.uuid=v
  else
  delete m.uuid
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.manufacturer=v
  else
  delete m.manufacturer
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.product_name=v
  else
  delete m.product_name
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T13 = lazy("org.lfedge.eve.attest.ZAttestReq", () => {
  const fields = [
    { name: "reqType", id: 1, type: "ZAttestReqType", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "quote", id: 2, type: "ZAttestQuote", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T21 },
    { name: "certs", id: 3, type: "org.lfedge.eve.certs.ZCert", repeated: true, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T9 },
    { name: "storage_keys", id: 4, type: "AttestStorageKeys", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: null, packed: false, check: "presence", oneof: null, message: T24 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.reqType=v
  else
  delete m.reqType
  continue
  }
  case 2:{
  if(u!==2)
  break
  m.quote=types[1].decode(r,r.size(),undefined,q+1,m.quote)
  continue
  }
  case 3:
  {
  if(u!==2)
  break
  if(!(m.certs&&m.certs.length))
  m.certs=[]
  m.certs.push(types[2].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 4:{
  if(u!==2)
  break
  m.storage_keys=types[3].decode(r,r.size(),undefined,q+1,m.storage_keys)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, T21, T9, T24], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T14 = lazy("org.lfedge.eve.attest.ZAttestResponse", () => {
  const fields = [
    { name: "respType", id: 1, type: "ZAttestRespType", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "nonce", id: 2, type: "ZAttestNonceResp", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T15 },
    { name: "quoteResp", id: 3, type: "ZAttestQuoteResp", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T23 },
    { name: "storage_keys_resp", id: 4, type: "AttestStorageKeysResp", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: null, packed: false, check: "presence", oneof: null, message: T25 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.respType=v
  else
  delete m.respType
  continue
  }
  case 2:{
  if(u!==2)
  break
  m.nonce=types[1].decode(r,r.size(),undefined,q+1,m.nonce)
  continue
  }
  case 3:{
  if(u!==2)
  break
  m.quoteResp=types[2].decode(r,r.size(),undefined,q+1,m.quoteResp)
  continue
  }
  case 4:{
  if(u!==2)
  break
  m.storage_keys_resp=types[3].decode(r,r.size(),undefined,q+1,m.storage_keys_resp)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, T15, T23, T25], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T15 = lazy("org.lfedge.eve.attest.ZAttestNonceResp", () => {
  const fields = [
    { name: "nonce", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.nonce=v
  else
  delete m.nonce
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T16 = lazy("org.lfedge.eve.attest.TpmEventDigest", () => {
  const fields = [
    { name: "hash_algo", id: 1, type: "TpmHashAlgo", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "digest", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.hash_algo=v
  else
  delete m.hash_algo
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.digest=v
  else
  delete m.digest
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T17 = lazy("org.lfedge.eve.attest.TpmEventLogEntry", () => {
  const fields = [
    { name: "index", id: 1, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 8, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "pcr_index", id: 2, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 16, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "event_type", id: 3, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 24, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "digest", id: 4, type: "TpmEventDigest", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: null, packed: false, check: "presence", oneof: null, message: T16 },
    { name: "event_data_binary", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "event_data_string", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "event_binary_size", id: 7, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 56, write: "uint32", packed: false, check: "number", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.index=v
  else
  delete m.index
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.pcr_index=v
  else
  delete m.pcr_index
  continue
  }
  case 3:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.event_type=v
  else
  delete m.event_type
  continue
  }
  case 4:{
  if(u!==2)
  break
  m.digest=types[3].decode(r,r.size(),undefined,q+1,m.digest)
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.event_data_binary=v
  else
  delete m.event_data_binary
  continue
  }
  case 6:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.event_data_string=v
  else
  delete m.event_data_string
  continue
  }
  case 7:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.event_binary_size=v
  else
  delete m.event_binary_size
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, T16, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T18 = lazy("org.lfedge.eve.attest.AttestGPSCoordinates", () => {
  const fields = [
    { name: "gps_input", id: 1, type: "AttestGPSInput", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "latitude", id: 2, type: "double", repeated: false, isEnum: false, explicitPresence: false, tag: 17, write: "double", packed: false, check: "float", oneof: null, message: null },
    { name: "longitude", id: 3, type: "double", repeated: false, isEnum: false, explicitPresence: false, tag: 25, write: "double", packed: false, check: "float", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.gps_input=v
  else
  delete m.gps_input
  continue
  }
  case 2:{
  if(u!==1)
  break
  if(!Object.is(v=r.double(),0))
  m.latitude=v
  else
  delete m.latitude
  continue
  }
  case 3:{
  if(u!==1)
  break
  if(!Object.is(v=r.double(),0))
  m.longitude=v
  else
  delete m.longitude
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T19 = lazy("org.lfedge.eve.attest.AttestVersionInfo", () => {
  const fields = [
    { name: "version_type", id: 1, type: "AttestVersionType", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "version", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.version_type=v
  else
  delete m.version_type
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.version=v
  else
  delete m.version
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T20 = lazy("org.lfedge.eve.attest.TpmPCRValue", () => {
  const fields = [
    { name: "index", id: 1, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 8, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "hash_algo", id: 2, type: "TpmHashAlgo", repeated: false, isEnum: true, explicitPresence: false, tag: 16, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "value", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.index=v
  else
  delete m.index
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.int32())
  m.hash_algo=v
  else
  delete m.hash_algo
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.value=v
  else
  delete m.value
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T21 = lazy("org.lfedge.eve.attest.ZAttestQuote", () => {
  const fields = [
    { name: "attestData", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "signature", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "pcr_values", id: 3, type: "TpmPCRValue", repeated: true, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T20 },
    { name: "event_log", id: 4, type: "TpmEventLogEntry", repeated: true, isEnum: false, explicitPresence: false, tag: 34, write: null, packed: false, check: "presence", oneof: null, message: T17 },
    { name: "versions", id: 5, type: "AttestVersionInfo", repeated: true, isEnum: false, explicitPresence: false, tag: 42, write: null, packed: false, check: "presence", oneof: null, message: T19 },
    { name: "gps_info", id: 6, type: "AttestGPSCoordinates", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: null, packed: false, check: "presence", oneof: null, message: T18 },
    { name: "tpm_binary_event_log", id: 7, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 58, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.attestData=v
  else
  delete m.attestData
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.signature=v
  else
  delete m.signature
  continue
  }
  case 3:
  {
  if(u!==2)
  break
  if(!(m.pcr_values&&m.pcr_values.length))
  m.pcr_values=[]
  m.pcr_values.push(types[2].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 4:
  {
  if(u!==2)
  break
  if(!(m.event_log&&m.event_log.length))
  m.event_log=[]
  m.event_log.push(types[3].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 5:
  {
  if(u!==2)
  break
  if(!(m.versions&&m.versions.length))
  m.versions=[]
  m.versions.push(types[4].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 6:{
  if(u!==2)
  break
  m.gps_info=types[5].decode(r,r.size(),undefined,q+1,m.gps_info)
  continue
  }
  case 7:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.tpm_binary_event_log=v
  else
  delete m.tpm_binary_event_log
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, T20, T17, T19, T18, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T22 = lazy("org.lfedge.eve.attest.AttestVolumeKey", () => {
  const fields = [
    { name: "key_type", id: 1, type: "AttestVolumeKeyType", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "key", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "has_policy_pcr_list", id: 4, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 32, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "policy_pcr_list", id: 5, type: "AttestPolicyPcrList", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: null, packed: false, check: "presence", oneof: null, message: T26 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.key_type=v
  else
  delete m.key_type
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.key=v
  else
  delete m.key
  continue
  }
  case 4:{
  if(u!==0)
  break
  if(v=r.bool())
  m.has_policy_pcr_list=v
  else
  delete m.has_policy_pcr_list
  continue
  }
  case 5:{
  if(u!==2)
  break
  m.policy_pcr_list=types[3].decode(r,r.size(),undefined,q+1,m.policy_pcr_list)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, T26], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T23 = lazy("org.lfedge.eve.attest.ZAttestQuoteResp", () => {
  const fields = [
    { name: "response", id: 1, type: "ZAttestResponseCode", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "integrity_token", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "keys", id: 3, type: "AttestVolumeKey", repeated: true, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T22 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.response=v
  else
  delete m.response
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.integrity_token=v
  else
  delete m.integrity_token
  continue
  }
  case 3:
  {
  if(u!==2)
  break
  if(!(m.keys&&m.keys.length))
  m.keys=[]
  m.keys.push(types[2].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, T22], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T24 = lazy("org.lfedge.eve.attest.AttestStorageKeys", () => {
  const fields = [
    { name: "integrity_token", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "keys", id: 2, type: "AttestVolumeKey", repeated: true, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T22 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.integrity_token=v
  else
  delete m.integrity_token
  continue
  }
  case 2:
  {
  if(u!==2)
  break
  if(!(m.keys&&m.keys.length))
  m.keys=[]
  m.keys.push(types[1].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, T22], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T25 = lazy("org.lfedge.eve.attest.AttestStorageKeysResp", () => {
  const fields = [
    { name: "response", id: 1, type: "AttestStorageKeysResponseCode", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.response=v
  else
  delete m.response
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T26 = lazy("org.lfedge.eve.attest.AttestPolicyPcrList", () => {
  const fields = [
    { name: "pcr_indices", id: 1, type: "uint32", repeated: true, isEnum: false, explicitPresence: false, tag: 10, write: "uint32", packed: true, check: "number", oneof: null, message: null },
    { name: "policy_id", id: 2, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 16, write: "uint32", packed: false, check: "number", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:
  {
  if(u===2){
  if(!(m.pcr_indices&&m.pcr_indices.length))
  m.pcr_indices=[]
  r.uint32s(m.pcr_indices)
  continue
  }
  if(u!==0)
  break
  if(!(m.pcr_indices&&m.pcr_indices.length))
  m.pcr_indices=[]
  m.pcr_indices.push(r.uint32())
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.policy_id=v
  else
  delete m.policy_id
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T27 = lazy("org.lfedge.eve.attest.AttestVolumeKeyData", () => {
  const fields = [
    { name: "encrypted_key", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "digest_sha256", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "version", id: 5, type: "AttestVolumeKeyVersion", repeated: false, isEnum: true, explicitPresence: false, tag: 40, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.encrypted_key=v
  else
  delete m.encrypted_key
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.digest_sha256=v
  else
  delete m.digest_sha256
  continue
  }
  case 5:{
  if(u!==0)
  break
  if(v=r.int32())
  m.version=v
  else
  delete m.version
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T28 = lazy("org.lfedge.eve.config.UUIDandVersion", () => {
  const fields = [
    { name: "uuid", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "version", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.uuid=v
  else
  delete m.uuid
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.version=v
  else
  delete m.version
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T29 = lazy("org.lfedge.eve.config.ConfigItem", () => {
  const fields = [
    { name: "key", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "value", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.key=v
  else
  delete m.key
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.value=v
  else
  delete m.value
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T30 = lazy("org.lfedge.eve.config.EdgeDevConfig", () => {
  const fields = [
    { name: "id", id: 1, type: "UUIDandVersion", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: null, packed: false, check: "presence", oneof: null, message: T28 },
    { name: "configItems", id: 11, type: "ConfigItem", repeated: true, isEnum: false, explicitPresence: false, tag: 90, write: null, packed: false, check: "presence", oneof: null, message: T29 },
    { name: "manufacturer", id: 14, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 114, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "productName", id: 15, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 122, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cipherContexts", id: 19, type: "org.lfedge.eve.common.CipherContext", repeated: true, isEnum: false, explicitPresence: false, tag: 154, write: null, packed: false, check: "presence", oneof: null, message: T2 },
    { name: "controllercert_confighash", id: 22, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 178, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "maintenance_mode", id: 24, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 192, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "controller_epoch", id: 25, type: "int64", repeated: false, isEnum: false, explicitPresence: false, tag: 200, write: "int64", packed: false, check: "long", oneof: null, message: null },
    { name: "global_profile", id: 27, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 218, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "device_name", id: 35, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 282, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "project_name", id: 36, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 290, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "project_id", id: 37, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 298, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "enterprise_name", id: 38, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 306, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "enterprise_id", id: 39, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 314, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "config_timestamp", id: 40, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, tag: 322, write: null, packed: false, check: "presence", oneof: null, message: T0 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  m.id=types[0].decode(r,r.size(),undefined,q+1,m.id)
  continue
  }
  case 11:
  {
  if(u!==2)
  break
  if(!(m.configItems&&m.configItems.length))
  m.configItems=[]
  m.configItems.push(types[1].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 14:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.manufacturer=v
  else
  delete m.manufacturer
  continue
  }
  case 15:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.productName=v
  else
  delete m.productName
  continue
  }
  case 19:
  {
  if(u!==2)
  break
  if(!(m.cipherContexts&&m.cipherContexts.length))
  m.cipherContexts=[]
  m.cipherContexts.push(types[4].decode(r,r.size(),undefined,q+1))
  continue
  }
  case 22:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.controllercert_confighash=v
  else
  delete m.controllercert_confighash
  continue
  }
  case 24:{
  if(u!==0)
  break
  if(v=r.bool())
  m.maintenance_mode=v
  else
  delete m.maintenance_mode
  continue
  }
  case 25:{
  if(u!==0)
  break
  if(typeof(v=r.int64())==="object"?v.low||v.high:v!==0)
  m.controller_epoch=v
  else
  delete m.controller_epoch
  continue
  }
  case 27:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.global_profile=v
  else
  delete m.global_profile
  continue
  }
  case 35:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.device_name=v
  else
  delete m.device_name
  continue
  }
  case 36:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.project_name=v
  else
  delete m.project_name
  continue
  }
  case 37:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.project_id=v
  else
  delete m.project_id
  continue
  }
  case 38:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.enterprise_name=v
  else
  delete m.enterprise_name
  continue
  }
  case 39:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.enterprise_id=v
  else
  delete m.enterprise_id
  continue
  }
  case 40:{
  if(u!==2)
  break
  m.config_timestamp=types[14].decode(r,r.size(),undefined,q+1,m.config_timestamp)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [T28, T29, null, null, T2, null, null, null, null, null, null, null, null, null, T0], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T31 = lazy("org.lfedge.eve.config.ConfigRequest", () => {
  const fields = [
    { name: "configHash", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "integrity_token", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.configHash=v
  else
  delete m.configHash
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.integrity_token=v
  else
  delete m.integrity_token
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T32 = lazy("org.lfedge.eve.config.ConfigResponse", () => {
  const fields = [
    { name: "config", id: 1, type: "EdgeDevConfig", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: null, packed: false, check: "presence", oneof: null, message: T30 },
    { name: "configHash", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  m.config=types[0].decode(r,r.size(),undefined,q+1,m.config)
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.configHash=v
  else
  delete m.configHash
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [T30, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T33 = lazy("org.lfedge.eve.config.BootstrapConfig", () => {
  const fields = [
    { name: "signed_config", id: 1, type: "org.lfedge.eve.auth.AuthContainer", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: null, packed: false, check: "presence", oneof: null, message: T5 },
    { name: "controller_certs", id: 2, type: "org.lfedge.eve.certs.ZCert", repeated: true, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T9 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  m.signed_config=types[0].decode(r,r.size(),undefined,q+1,m.signed_config)
  continue
  }
  case 2:
  {
  if(u!==2)
  break
  if(!(m.controller_certs&&m.controller_certs.length))
  m.controller_certs=[]
  m.controller_certs.push(types[1].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [T5, T9], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T34 = lazy("org.lfedge.eve.info.ErrorInfo", () => {
  const fields = [
    { name: "description", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "timestamp", id: 2, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T0 },
    { name: "retry_condition", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.description=v
  else
  delete m.description
  continue
  }
  case 2:{
  if(u!==2)
  break
  m.timestamp=types[1].decode(r,r.size(),undefined,q+1,m.timestamp)
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.retry_condition=v
  else
  delete m.retry_condition
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, T0, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T35 = lazy("org.lfedge.eve.info.ZInfoMsg", () => {
  const fields = [
    { name: "ztype", id: 1, type: "ZInfoTypes", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "devId", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "dinfo", id: 3, type: "ZInfoDevice", repeated: false, isEnum: false, explicitPresence: true, tag: 26, write: null, packed: false, check: "presence", oneof: "InfoContent", message: T41 },
    { name: "atTimeStamp", id: 6, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: null, packed: false, check: "presence", oneof: null, message: T0 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.ztype=v
  else
  delete m.ztype
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.devId=v
  else
  delete m.devId
  continue
  }
  case 3:{
  if(u!==2)
  break
  m.dinfo=types[2].decode(r,r.size(),undefined,q+1,m.dinfo)
  m.InfoContent="dinfo"
  continue
  }
  case 6:{
  if(u!==2)
  break
  m.atTimeStamp=types[3].decode(r,r.size(),undefined,q+1,m.atTimeStamp)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, T41, T0], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T36 = lazy("org.lfedge.eve.info.ZInfoManufacturer", () => {
  const fields = [
    { name: "manufacturer", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "productName", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "version", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "serialNumber", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "UUID", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "compatible", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "biosVendor", id: 7, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 58, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "biosVersion", id: 8, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 66, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "biosReleaseDate", id: 9, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 74, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.manufacturer=v
  else
  delete m.manufacturer
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.productName=v
  else
  delete m.productName
  continue
  }
  case 3:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.version=v
  else
  delete m.version
  continue
  }
  case 4:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.serialNumber=v
  else
  delete m.serialNumber
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.UUID=v
  else
  delete m.UUID
  continue
  }
  case 6:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.compatible=v
  else
  delete m.compatible
  continue
  }
  case 7:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.biosVendor=v
  else
  delete m.biosVendor
  continue
  }
  case 8:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.biosVersion=v
  else
  delete m.biosVersion
  continue
  }
  case 9:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.biosReleaseDate=v
  else
  delete m.biosReleaseDate
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null, null, null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T37 = lazy("org.lfedge.eve.info.VaultInfo", () => {
  const fields = [
    { name: "name", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "status", id: 2, type: "DataSecAtRestStatus", repeated: false, isEnum: true, explicitPresence: false, tag: 16, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "vaultErr", id: 3, type: "ErrorInfo", repeated: false, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T34 },
    { name: "pcrStatus", id: 4, type: "PCRStatus", repeated: false, isEnum: true, explicitPresence: false, tag: 32, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.name=v
  else
  delete m.name
  continue
  }
  case 2:{
  if(u!==0)
  break
  if(v=r.int32())
  m.status=v
  else
  delete m.status
  continue
  }
  case 3:{
  if(u!==2)
  break
  m.vaultErr=types[2].decode(r,r.size(),undefined,q+1,m.vaultErr)
  continue
  }
  case 4:{
  if(u!==0)
  break
  if(v=r.int32())
  m.pcrStatus=v
  else
  delete m.pcrStatus
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, T34, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T38 = lazy("org.lfedge.eve.info.DataSecAtRest", () => {
  const fields = [
    { name: "status", id: 1, type: "DataSecAtRestStatus", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "info", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "vaultList", id: 3, type: "VaultInfo", repeated: true, isEnum: false, explicitPresence: false, tag: 26, write: null, packed: false, check: "presence", oneof: null, message: T37 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.status=v
  else
  delete m.status
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.info=v
  else
  delete m.info
  continue
  }
  case 3:
  {
  if(u!==2)
  break
  if(!(m.vaultList&&m.vaultList.length))
  m.vaultList=[]
  m.vaultList.push(types[2].decode(r,r.size(),undefined,q+1))
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, T37], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T39 = lazy("org.lfedge.eve.info.SecurityInfo", () => {
  const fields = [
    { name: "sha_root_ca", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 10, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
    { name: "sha_tls_root_ca", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: "bytes", packed: false, check: "bytes", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.sha_root_ca=v
  else
  delete m.sha_root_ca
  continue
  }
  case 2:{
  if(u!==2)
  break
  if((v=r.bytes()).length)
  m.sha_tls_root_ca=v
  else
  delete m.sha_tls_root_ca
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T40 = lazy("org.lfedge.eve.info.AttestationInfo", () => {
  const fields = [
    { name: "state", id: 1, type: "AttestationState", repeated: false, isEnum: true, explicitPresence: false, tag: 8, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "error", id: 2, type: "ErrorInfo", repeated: false, isEnum: false, explicitPresence: false, tag: 18, write: null, packed: false, check: "presence", oneof: null, message: T34 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 1:{
  if(u!==0)
  break
  if(v=r.int32())
  m.state=v
  else
  delete m.state
  continue
  }
  case 2:{
  if(u!==2)
  break
  m.error=types[1].decode(r,r.size(),undefined,q+1,m.error)
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, T34], util, function () {}),
    verify: tableVerifier(fields),
  };
});

const T41 = lazy("org.lfedge.eve.info.ZInfoDevice", () => {
  const fields = [
    { name: "machineArch", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 34, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "cpuArch", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 42, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "platform", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 50, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "ncpu", id: 7, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 56, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "memory", id: 8, type: "uint64", repeated: false, isEnum: false, explicitPresence: false, tag: 64, write: "uint64", packed: false, check: "long", oneof: null, message: null },
    { name: "storage", id: 9, type: "uint64", repeated: false, isEnum: false, explicitPresence: false, tag: 72, write: "uint64", packed: false, check: "long", oneof: null, message: null },
    { name: "powerCycleCounter", id: 10, type: "int64", repeated: false, isEnum: false, explicitPresence: false, tag: 80, write: "int64", packed: false, check: "long", oneof: null, message: null },
    { name: "minfo", id: 11, type: "ZInfoManufacturer", repeated: false, isEnum: false, explicitPresence: false, tag: 90, write: null, packed: false, check: "presence", oneof: null, message: T36 },
    { name: "bootTime", id: 18, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, tag: 146, write: null, packed: false, check: "presence", oneof: null, message: T0 },
    { name: "HostName", id: 20, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 162, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "lastRebootReason", id: 22, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 178, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "lastRebootTime", id: 23, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, tag: 186, write: null, packed: false, check: "presence", oneof: null, message: T0 },
    { name: "restartCounter", id: 25, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 200, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "HSMStatus", id: 26, type: "HwSecurityModuleStatus", repeated: false, isEnum: true, explicitPresence: false, tag: 208, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "HSMInfo", id: 27, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 218, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "lastRebootStack", id: 28, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 226, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "dataSecAtRestInfo", id: 29, type: "DataSecAtRest", repeated: false, isEnum: false, explicitPresence: false, tag: 234, write: null, packed: false, check: "presence", oneof: null, message: T38 },
    { name: "sec_info", id: 30, type: "SecurityInfo", repeated: false, isEnum: false, explicitPresence: false, tag: 242, write: null, packed: false, check: "presence", oneof: null, message: T39 },
    { name: "rebootConfigCounter", id: 33, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 264, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "maintenance_mode", id: 38, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 304, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "maintenance_mode_reason", id: 39, type: "MaintenanceModeReason", repeated: false, isEnum: true, explicitPresence: false, tag: 312, write: "int32", packed: false, check: "enum", def: 0, oneof: null, message: null },
    { name: "hardware_watchdog_present", id: 40, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 320, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "reboot_inprogress", id: 41, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 328, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "baseos_update_counter", id: 43, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 344, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "local_profile", id: 45, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 362, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "maintenance_mode_reasons", id: 46, type: "MaintenanceModeReason", repeated: true, isEnum: true, explicitPresence: false, tag: 370, write: "int32", packed: true, check: "enum", def: 0, oneof: null, message: null },
    { name: "dormant_time", id: 47, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 378, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "shutdown_config_counter", id: 49, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, tag: 392, write: "uint32", packed: false, check: "number", oneof: null, message: null },
    { name: "attestation_info", id: 50, type: "AttestationInfo", repeated: false, isEnum: false, explicitPresence: false, tag: 402, write: null, packed: false, check: "presence", oneof: null, message: T40 },
    { name: "remote_access_disabled", id: 52, type: "bool", repeated: false, isEnum: false, explicitPresence: false, tag: 416, write: "bool", packed: false, check: "bool", oneof: null, message: null },
    { name: "device_name", id: 54, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 434, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "enterprise_name", id: 55, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 442, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "enterprise_id", id: 56, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 450, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "project_name", id: 57, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 458, write: "string", packed: false, check: "string", oneof: null, message: null },
    { name: "project_id", id: 58, type: "string", repeated: false, isEnum: false, explicitPresence: false, tag: 466, write: "string", packed: false, check: "string", oneof: null, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: tableEncoder(fields),
    decode: (function (Reader, types, util, C) { return function (r,l,z,q,g){
  if(!(r instanceof Reader))
  r=Reader.create(r)
  if(q===undefined)q=0
  if(q>Reader.recursionLimit)
  throw Error("max depth exceeded")
  var c,m,v
  if(l===undefined)
  c=r.len
  else{
  c=r.pos+l
  if(c>r.len)
  throw RangeError("index out of range")
  l=r.len
  r.len=c
  }
  m=g||new C
  while(r.pos<c){
  var s=r.pos
  var t=r.tag()
  if(t===z){
  z=undefined
  break
  }
  var u=t&7
  switch(t>>>=3){
  case 4:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.machineArch=v
  else
  delete m.machineArch
  continue
  }
  case 5:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.cpuArch=v
  else
  delete m.cpuArch
  continue
  }
  case 6:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.platform=v
  else
  delete m.platform
  continue
  }
  case 7:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.ncpu=v
  else
  delete m.ncpu
  continue
  }
  case 8:{
  if(u!==0)
  break
  if(typeof(v=r.uint64())==="object"?v.low||v.high:v!==0)
  m.memory=v
  else
  delete m.memory
  continue
  }
  case 9:{
  if(u!==0)
  break
  if(typeof(v=r.uint64())==="object"?v.low||v.high:v!==0)
  m.storage=v
  else
  delete m.storage
  continue
  }
  case 10:{
  if(u!==0)
  break
  if(typeof(v=r.int64())==="object"?v.low||v.high:v!==0)
  m.powerCycleCounter=v
  else
  delete m.powerCycleCounter
  continue
  }
  case 11:{
  if(u!==2)
  break
  m.minfo=types[7].decode(r,r.size(),undefined,q+1,m.minfo)
  continue
  }
  case 18:{
  if(u!==2)
  break
  m.bootTime=types[8].decode(r,r.size(),undefined,q+1,m.bootTime)
  continue
  }
  case 20:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.HostName=v
  else
  delete m.HostName
  continue
  }
  case 22:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.lastRebootReason=v
  else
  delete m.lastRebootReason
  continue
  }
  case 23:{
  if(u!==2)
  break
  m.lastRebootTime=types[11].decode(r,r.size(),undefined,q+1,m.lastRebootTime)
  continue
  }
  case 25:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.restartCounter=v
  else
  delete m.restartCounter
  continue
  }
  case 26:{
  if(u!==0)
  break
  if(v=r.int32())
  m.HSMStatus=v
  else
  delete m.HSMStatus
  continue
  }
  case 27:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.HSMInfo=v
  else
  delete m.HSMInfo
  continue
  }
  case 28:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.lastRebootStack=v
  else
  delete m.lastRebootStack
  continue
  }
  case 29:{
  if(u!==2)
  break
  m.dataSecAtRestInfo=types[16].decode(r,r.size(),undefined,q+1,m.dataSecAtRestInfo)
  continue
  }
  case 30:{
  if(u!==2)
  break
  m.sec_info=types[17].decode(r,r.size(),undefined,q+1,m.sec_info)
  continue
  }
  case 33:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.rebootConfigCounter=v
  else
  delete m.rebootConfigCounter
  continue
  }
  case 38:{
  if(u!==0)
  break
  if(v=r.bool())
  m.maintenance_mode=v
  else
  delete m.maintenance_mode
  continue
  }
  case 39:{
  if(u!==0)
  break
  if(v=r.int32())
  m.maintenance_mode_reason=v
  else
  delete m.maintenance_mode_reason
  continue
  }
  case 40:{
  if(u!==0)
  break
  if(v=r.bool())
  m.hardware_watchdog_present=v
  else
  delete m.hardware_watchdog_present
  continue
  }
  case 41:{
  if(u!==0)
  break
  if(v=r.bool())
  m.reboot_inprogress=v
  else
  delete m.reboot_inprogress
  continue
  }
  case 43:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.baseos_update_counter=v
  else
  delete m.baseos_update_counter
  continue
  }
  case 45:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.local_profile=v
  else
  delete m.local_profile
  continue
  }
  case 46:
  {
  if(u===2){
  if(!(m.maintenance_mode_reasons&&m.maintenance_mode_reasons.length))
  m.maintenance_mode_reasons=[]
  r.int32s(m.maintenance_mode_reasons)
  continue
  }
  if(u!==0)
  break
  if(!(m.maintenance_mode_reasons&&m.maintenance_mode_reasons.length))
  m.maintenance_mode_reasons=[]
  m.maintenance_mode_reasons.push(r.int32())
  continue
  }
  case 47:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.dormant_time=v
  else
  delete m.dormant_time
  continue
  }
  case 49:{
  if(u!==0)
  break
  if(v=r.uint32())
  m.shutdown_config_counter=v
  else
  delete m.shutdown_config_counter
  continue
  }
  case 50:{
  if(u!==2)
  break
  m.attestation_info=types[28].decode(r,r.size(),undefined,q+1,m.attestation_info)
  continue
  }
  case 52:{
  if(u!==0)
  break
  if(v=r.bool())
  m.remote_access_disabled=v
  else
  delete m.remote_access_disabled
  continue
  }
  case 54:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.device_name=v
  else
  delete m.device_name
  continue
  }
  case 55:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.enterprise_name=v
  else
  delete m.enterprise_name
  continue
  }
  case 56:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.enterprise_id=v
  else
  delete m.enterprise_id
  continue
  }
  case 57:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.project_name=v
  else
  delete m.project_name
  continue
  }
  case 58:{
  if(u!==2)
  break
  if((v=r.stringVerify()).length)
  m.project_id=v
  else
  delete m.project_id
  continue
  }
  }
  r.skipType(u,q,t)
  if(!r.discardUnknown){
  util.makeProp(m,"$unknowns",false);
  (m.$unknowns||(m.$unknowns=[])).push(r.raw(s,r.pos))
  }
  }
  if(l!==undefined){
  if(r.pos!==c)
  throw RangeError("index out of range")
  r.len=l
  }
  if(z!==undefined)
  throw Error("missing end group")
  return m
}; })(Reader, [null, null, null, null, null, null, null, T36, T0, null, null, T0, null, null, null, null, T38, T39, null, null, null, null, null, null, null, null, null, null, T40, null, null, null, null, null, null], util, function () {}),
    verify: tableVerifier(fields),
  };
});

/** Every message type of the schema, by its fully-qualified protobuf name. */
export const TYPES: Readonly<Record<string, WireType>> = {
  "google.protobuf.Timestamp": T0,
  "org.lfedge.eve.common.EncryptionBlock": T1,
  "org.lfedge.eve.common.CipherContext": T2,
  "org.lfedge.eve.common.CipherBlock": T3,
  "org.lfedge.eve.auth.AuthBody": T4,
  "org.lfedge.eve.auth.AuthContainer": T5,
  "org.lfedge.eve.certs.ZControllerCert": T6,
  "org.lfedge.eve.certs.ZCertMetaData": T7,
  "org.lfedge.eve.certs.ZCertAttr": T8,
  "org.lfedge.eve.certs.ZCert": T9,
  "org.lfedge.eve.register.ZRegisterMsg": T10,
  "org.lfedge.eve.uuid.UuidRequest": T11,
  "org.lfedge.eve.uuid.UuidResponse": T12,
  "org.lfedge.eve.attest.ZAttestReq": T13,
  "org.lfedge.eve.attest.ZAttestResponse": T14,
  "org.lfedge.eve.attest.ZAttestNonceResp": T15,
  "org.lfedge.eve.attest.TpmEventDigest": T16,
  "org.lfedge.eve.attest.TpmEventLogEntry": T17,
  "org.lfedge.eve.attest.AttestGPSCoordinates": T18,
  "org.lfedge.eve.attest.AttestVersionInfo": T19,
  "org.lfedge.eve.attest.TpmPCRValue": T20,
  "org.lfedge.eve.attest.ZAttestQuote": T21,
  "org.lfedge.eve.attest.AttestVolumeKey": T22,
  "org.lfedge.eve.attest.ZAttestQuoteResp": T23,
  "org.lfedge.eve.attest.AttestStorageKeys": T24,
  "org.lfedge.eve.attest.AttestStorageKeysResp": T25,
  "org.lfedge.eve.attest.AttestPolicyPcrList": T26,
  "org.lfedge.eve.attest.AttestVolumeKeyData": T27,
  "org.lfedge.eve.config.UUIDandVersion": T28,
  "org.lfedge.eve.config.ConfigItem": T29,
  "org.lfedge.eve.config.EdgeDevConfig": T30,
  "org.lfedge.eve.config.ConfigRequest": T31,
  "org.lfedge.eve.config.ConfigResponse": T32,
  "org.lfedge.eve.config.BootstrapConfig": T33,
  "org.lfedge.eve.info.ErrorInfo": T34,
  "org.lfedge.eve.info.ZInfoMsg": T35,
  "org.lfedge.eve.info.ZInfoManufacturer": T36,
  "org.lfedge.eve.info.VaultInfo": T37,
  "org.lfedge.eve.info.DataSecAtRest": T38,
  "org.lfedge.eve.info.SecurityInfo": T39,
  "org.lfedge.eve.info.AttestationInfo": T40,
  "org.lfedge.eve.info.ZInfoDevice": T41,
};
