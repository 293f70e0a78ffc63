// Generated from descriptor.generated.ts by scripts/gen-codec.ts; do not edit.
// Run `node_modules/.bin/bun run scripts/gen-codec.ts` after regenerating the descriptor;
// codec-gen.test.ts fails while this file is stale.
// @ts-nocheck
import $protobuf from "protobufjs/minimal";
import type { WireType } from "./wire.ts";

const Writer = $protobuf.Writer;
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
    { name: "seconds", id: 1, type: "int64", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "nanos", id: 2, type: "int32", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.seconds!=null&&Object.hasOwnProperty.call(m,"seconds")&&(typeof m.seconds==="object"?m.seconds.low||m.seconds.high:m.seconds!==0))
  w.uint32(8).int64(m.seconds)
  if(m.nanos!=null&&Object.hasOwnProperty.call(m,"nanos")&&m.nanos!==0)
  w.uint32(16).int32(m.nanos)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.seconds!=null&&Object.hasOwnProperty.call(m,"seconds")){
  if(!util.isInteger(m.seconds)&&!(m.seconds&&util.isInteger(m.seconds.low)&&util.isInteger(m.seconds.high)))
  return"seconds: integer|Long expected"
  }
  if(m.nanos!=null&&Object.hasOwnProperty.call(m,"nanos")){
  if(!util.isInteger(m.nanos))
  return"nanos: integer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T1 = lazy("org.lfedge.eve.common.EncryptionBlock", () => {
  const fields = [
    { name: "dsAPIKey", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "dsPassword", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "wifiUserName", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "wifiPassword", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "protectedUserData", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cellular_net_username", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cellular_net_password", id: 7, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cluster_token", id: 8, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "encrypted_data", id: 10, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cellular_net_attach_username", id: 11, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cellular_net_attach_password", id: 12, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "gzip_registration_manifest_yaml", id: 13, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "scep_challenge_password", id: 14, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.dsAPIKey!=null&&Object.hasOwnProperty.call(m,"dsAPIKey")&&m.dsAPIKey!=="")
  w.uint32(10).string(m.dsAPIKey)
  if(m.dsPassword!=null&&Object.hasOwnProperty.call(m,"dsPassword")&&m.dsPassword!=="")
  w.uint32(18).string(m.dsPassword)
  if(m.wifiUserName!=null&&Object.hasOwnProperty.call(m,"wifiUserName")&&m.wifiUserName!=="")
  w.uint32(26).string(m.wifiUserName)
  if(m.wifiPassword!=null&&Object.hasOwnProperty.call(m,"wifiPassword")&&m.wifiPassword!=="")
  w.uint32(34).string(m.wifiPassword)
  if(m.protectedUserData!=null&&Object.hasOwnProperty.call(m,"protectedUserData")&&m.protectedUserData!=="")
  w.uint32(42).string(m.protectedUserData)
  if(m.cellular_net_username!=null&&Object.hasOwnProperty.call(m,"cellular_net_username")&&m.cellular_net_username!=="")
  w.uint32(50).string(m.cellular_net_username)
  if(m.cellular_net_password!=null&&Object.hasOwnProperty.call(m,"cellular_net_password")&&m.cellular_net_password!=="")
  w.uint32(58).string(m.cellular_net_password)
  if(m.cluster_token!=null&&Object.hasOwnProperty.call(m,"cluster_token")&&m.cluster_token!=="")
  w.uint32(66).string(m.cluster_token)
  if(m.encrypted_data!=null&&Object.hasOwnProperty.call(m,"encrypted_data")&&m.encrypted_data!=="")
  w.uint32(82).string(m.encrypted_data)
  if(m.cellular_net_attach_username!=null&&Object.hasOwnProperty.call(m,"cellular_net_attach_username")&&m.cellular_net_attach_username!=="")
  w.uint32(90).string(m.cellular_net_attach_username)
  if(m.cellular_net_attach_password!=null&&Object.hasOwnProperty.call(m,"cellular_net_attach_password")&&m.cellular_net_attach_password!=="")
  w.uint32(98).string(m.cellular_net_attach_password)
  if(m.gzip_registration_manifest_yaml!=null&&Object.hasOwnProperty.call(m,"gzip_registration_manifest_yaml")&&m.gzip_registration_manifest_yaml.length)
  w.uint32(106).bytes(m.gzip_registration_manifest_yaml)
  if(m.scep_challenge_password!=null&&Object.hasOwnProperty.call(m,"scep_challenge_password")&&m.scep_challenge_password!=="")
  w.uint32(114).string(m.scep_challenge_password)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null, null, null, null, null, null, null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.dsAPIKey!=null&&Object.hasOwnProperty.call(m,"dsAPIKey")){
  if(!util.isString(m.dsAPIKey))
  return"dsAPIKey: string expected"
  }
  if(m.dsPassword!=null&&Object.hasOwnProperty.call(m,"dsPassword")){
  if(!util.isString(m.dsPassword))
  return"dsPassword: string expected"
  }
  if(m.wifiUserName!=null&&Object.hasOwnProperty.call(m,"wifiUserName")){
  if(!util.isString(m.wifiUserName))
  return"wifiUserName: string expected"
  }
  if(m.wifiPassword!=null&&Object.hasOwnProperty.call(m,"wifiPassword")){
  if(!util.isString(m.wifiPassword))
  return"wifiPassword: string expected"
  }
  if(m.protectedUserData!=null&&Object.hasOwnProperty.call(m,"protectedUserData")){
  if(!util.isString(m.protectedUserData))
  return"protectedUserData: string expected"
  }
  if(m.cellular_net_username!=null&&Object.hasOwnProperty.call(m,"cellular_net_username")){
  if(!util.isString(m.cellular_net_username))
  return"cellular_net_username: string expected"
  }
  if(m.cellular_net_password!=null&&Object.hasOwnProperty.call(m,"cellular_net_password")){
  if(!util.isString(m.cellular_net_password))
  return"cellular_net_password: string expected"
  }
  if(m.cluster_token!=null&&Object.hasOwnProperty.call(m,"cluster_token")){
  if(!util.isString(m.cluster_token))
  return"cluster_token: string expected"
  }
  if(m.encrypted_data!=null&&Object.hasOwnProperty.call(m,"encrypted_data")){
  if(!util.isString(m.encrypted_data))
  return"encrypted_data: string expected"
  }
  if(m.cellular_net_attach_username!=null&&Object.hasOwnProperty.call(m,"cellular_net_attach_username")){
  if(!util.isString(m.cellular_net_attach_username))
  return"cellular_net_attach_username: string expected"
  }
  if(m.cellular_net_attach_password!=null&&Object.hasOwnProperty.call(m,"cellular_net_attach_password")){
  if(!util.isString(m.cellular_net_attach_password))
  return"cellular_net_attach_password: string expected"
  }
  if(m.gzip_registration_manifest_yaml!=null&&Object.hasOwnProperty.call(m,"gzip_registration_manifest_yaml")){
  if(!(m.gzip_registration_manifest_yaml&&typeof m.gzip_registration_manifest_yaml.length==="number"||util.isString(m.gzip_registration_manifest_yaml)))
  return"gzip_registration_manifest_yaml: buffer expected"
  }
  if(m.scep_challenge_password!=null&&Object.hasOwnProperty.call(m,"scep_challenge_password")){
  if(!util.isString(m.scep_challenge_password))
  return"scep_challenge_password: string expected"
  }
  return null
}; })([null, null, null, null, null, null, null, null, null, null, null, null, null], util),
  };
});

const T2 = lazy("org.lfedge.eve.common.CipherContext", () => {
  const fields = [
    { name: "contextId", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "hashScheme", id: 2, type: "HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "keyExchangeScheme", id: 3, type: "KeyExchangeScheme", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "encryptionScheme", id: 4, type: "EncryptionScheme", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "deviceCertHash", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "controllerCertHash", id: 6, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.contextId!=null&&Object.hasOwnProperty.call(m,"contextId")&&m.contextId!=="")
  w.uint32(10).string(m.contextId)
  if(m.hashScheme!=null&&Object.hasOwnProperty.call(m,"hashScheme")&&m.hashScheme!==0)
  w.uint32(16).int32(m.hashScheme)
  if(m.keyExchangeScheme!=null&&Object.hasOwnProperty.call(m,"keyExchangeScheme")&&m.keyExchangeScheme!==0)
  w.uint32(24).int32(m.keyExchangeScheme)
  if(m.encryptionScheme!=null&&Object.hasOwnProperty.call(m,"encryptionScheme")&&m.encryptionScheme!==0)
  w.uint32(32).int32(m.encryptionScheme)
  if(m.deviceCertHash!=null&&Object.hasOwnProperty.call(m,"deviceCertHash")&&m.deviceCertHash.length)
  w.uint32(42).bytes(m.deviceCertHash)
  if(m.controllerCertHash!=null&&Object.hasOwnProperty.call(m,"controllerCertHash")&&m.controllerCertHash.length)
  w.uint32(50).bytes(m.controllerCertHash)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.contextId!=null&&Object.hasOwnProperty.call(m,"contextId")){
  if(!util.isString(m.contextId))
  return"contextId: string expected"
  }
  if(m.hashScheme!=null&&Object.hasOwnProperty.call(m,"hashScheme")){
  if(typeof m.hashScheme!=="number"||(m.hashScheme|0)!==m.hashScheme)
  return"hashScheme: enum value expected"
  }
  if(m.keyExchangeScheme!=null&&Object.hasOwnProperty.call(m,"keyExchangeScheme")){
  if(typeof m.keyExchangeScheme!=="number"||(m.keyExchangeScheme|0)!==m.keyExchangeScheme)
  return"keyExchangeScheme: enum value expected"
  }
  if(m.encryptionScheme!=null&&Object.hasOwnProperty.call(m,"encryptionScheme")){
  if(typeof m.encryptionScheme!=="number"||(m.encryptionScheme|0)!==m.encryptionScheme)
  return"encryptionScheme: enum value expected"
  }
  if(m.deviceCertHash!=null&&Object.hasOwnProperty.call(m,"deviceCertHash")){
  if(!(m.deviceCertHash&&typeof m.deviceCertHash.length==="number"||util.isString(m.deviceCertHash)))
  return"deviceCertHash: buffer expected"
  }
  if(m.controllerCertHash!=null&&Object.hasOwnProperty.call(m,"controllerCertHash")){
  if(!(m.controllerCertHash&&typeof m.controllerCertHash.length==="number"||util.isString(m.controllerCertHash)))
  return"controllerCertHash: buffer expected"
  }
  return null
}; })([null, null, null, null, null, null], util),
  };
});

const T3 = lazy("org.lfedge.eve.common.CipherBlock", () => {
  const fields = [
    { name: "cipherContextId", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "initialValue", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cipherData", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "clearTextSha256", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.cipherContextId!=null&&Object.hasOwnProperty.call(m,"cipherContextId")&&m.cipherContextId!=="")
  w.uint32(10).string(m.cipherContextId)
  if(m.initialValue!=null&&Object.hasOwnProperty.call(m,"initialValue")&&m.initialValue.length)
  w.uint32(18).bytes(m.initialValue)
  if(m.cipherData!=null&&Object.hasOwnProperty.call(m,"cipherData")&&m.cipherData.length)
  w.uint32(26).bytes(m.cipherData)
  if(m.clearTextSha256!=null&&Object.hasOwnProperty.call(m,"clearTextSha256")&&m.clearTextSha256.length)
  w.uint32(34).bytes(m.clearTextSha256)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.cipherContextId!=null&&Object.hasOwnProperty.call(m,"cipherContextId")){
  if(!util.isString(m.cipherContextId))
  return"cipherContextId: string expected"
  }
  if(m.initialValue!=null&&Object.hasOwnProperty.call(m,"initialValue")){
  if(!(m.initialValue&&typeof m.initialValue.length==="number"||util.isString(m.initialValue)))
  return"initialValue: buffer expected"
  }
  if(m.cipherData!=null&&Object.hasOwnProperty.call(m,"cipherData")){
  if(!(m.cipherData&&typeof m.cipherData.length==="number"||util.isString(m.cipherData)))
  return"cipherData: buffer expected"
  }
  if(m.clearTextSha256!=null&&Object.hasOwnProperty.call(m,"clearTextSha256")){
  if(!(m.clearTextSha256&&typeof m.clearTextSha256.length==="number"||util.isString(m.clearTextSha256)))
  return"clearTextSha256: buffer expected"
  }
  return null
}; })([null, null, null, null], util),
  };
});

const T4 = lazy("org.lfedge.eve.auth.AuthBody", () => {
  const fields = [
    { name: "payload", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.payload!=null&&Object.hasOwnProperty.call(m,"payload")&&m.payload.length)
  w.uint32(10).bytes(m.payload)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.payload!=null&&Object.hasOwnProperty.call(m,"payload")){
  if(!(m.payload&&typeof m.payload.length==="number"||util.isString(m.payload)))
  return"payload: buffer expected"
  }
  return null
}; })([null], util),
  };
});

const T5 = lazy("org.lfedge.eve.auth.AuthContainer", () => {
  const fields = [
    { name: "protectedPayload", id: 1, type: "AuthBody", repeated: false, isEnum: false, explicitPresence: false, message: T4 },
    { name: "algo", id: 2, type: "org.lfedge.eve.common.HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "senderCertHash", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "signatureHash", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "senderCert", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cipherContext", id: 6, type: "org.lfedge.eve.common.CipherContext", repeated: false, isEnum: false, explicitPresence: false, message: T2 },
    { name: "cipherData", id: 7, type: "org.lfedge.eve.common.CipherBlock", repeated: false, isEnum: false, explicitPresence: false, message: T3 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.protectedPayload!=null&&Object.hasOwnProperty.call(m,"protectedPayload"))
  types[0].encode(m.protectedPayload,w.uint32(10).fork(),q+1).ldelim()
  if(m.algo!=null&&Object.hasOwnProperty.call(m,"algo")&&m.algo!==0)
  w.uint32(16).int32(m.algo)
  if(m.senderCertHash!=null&&Object.hasOwnProperty.call(m,"senderCertHash")&&m.senderCertHash.length)
  w.uint32(26).bytes(m.senderCertHash)
  if(m.signatureHash!=null&&Object.hasOwnProperty.call(m,"signatureHash")&&m.signatureHash.length)
  w.uint32(34).bytes(m.signatureHash)
  if(m.senderCert!=null&&Object.hasOwnProperty.call(m,"senderCert")&&m.senderCert.length)
  w.uint32(42).bytes(m.senderCert)
  if(m.cipherContext!=null&&Object.hasOwnProperty.call(m,"cipherContext"))
  types[5].encode(m.cipherContext,w.uint32(50).fork(),q+1).ldelim()
  if(m.cipherData!=null&&Object.hasOwnProperty.call(m,"cipherData"))
  types[6].encode(m.cipherData,w.uint32(58).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [T4, null, null, null, null, T2, T3], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.protectedPayload!=null&&Object.hasOwnProperty.call(m,"protectedPayload")){
  {
  var e=types[0].verify(m.protectedPayload,q+1);
  if(e)
  return"protectedPayload."+e
  }
  }
  if(m.algo!=null&&Object.hasOwnProperty.call(m,"algo")){
  if(typeof m.algo!=="number"||(m.algo|0)!==m.algo)
  return"algo: enum value expected"
  }
  if(m.senderCertHash!=null&&Object.hasOwnProperty.call(m,"senderCertHash")){
  if(!(m.senderCertHash&&typeof m.senderCertHash.length==="number"||util.isString(m.senderCertHash)))
  return"senderCertHash: buffer expected"
  }
  if(m.signatureHash!=null&&Object.hasOwnProperty.call(m,"signatureHash")){
  if(!(m.signatureHash&&typeof m.signatureHash.length==="number"||util.isString(m.signatureHash)))
  return"signatureHash: buffer expected"
  }
  if(m.senderCert!=null&&Object.hasOwnProperty.call(m,"senderCert")){
  if(!(m.senderCert&&typeof m.senderCert.length==="number"||util.isString(m.senderCert)))
  return"senderCert: buffer expected"
  }
  if(m.cipherContext!=null&&Object.hasOwnProperty.call(m,"cipherContext")){
  {
  var e=types[5].verify(m.cipherContext,q+1);
  if(e)
  return"cipherContext."+e
  }
  }
  if(m.cipherData!=null&&Object.hasOwnProperty.call(m,"cipherData")){
  {
  var e=types[6].verify(m.cipherData,q+1);
  if(e)
  return"cipherData."+e
  }
  }
  return null
}; })([T4, null, null, null, null, T2, T3], util),
  };
});

const T6 = lazy("org.lfedge.eve.certs.ZControllerCert", () => {
  const fields = [
    { name: "certs", id: 1, type: "ZCert", repeated: true, isEnum: false, explicitPresence: false, message: T9 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.certs!=null&&m.certs.length){
  for(var i=0;i<m.certs.length;++i)
  types[0].encode(m.certs[i],w.uint32(10).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [T9], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.certs!=null&&Object.hasOwnProperty.call(m,"certs")){
  if(!Array.isArray(m.certs))
  return"certs: array expected"
  for(var i=0;i<m.certs.length;++i){
  {
  var e=types[0].verify(m.certs[i],q+1);
  if(e)
  return"certs."+e
  }
  }
  }
  return null
}; })([T9], util),
  };
});

const T7 = lazy("org.lfedge.eve.certs.ZCertMetaData", () => {
  const fields = [
    { name: "type", id: 1, type: "ZCertMetaDataType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "meta_data", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.type!=null&&Object.hasOwnProperty.call(m,"type")&&m.type!==0)
  w.uint32(8).int32(m.type)
  if(m.meta_data!=null&&Object.hasOwnProperty.call(m,"meta_data")&&m.meta_data.length)
  w.uint32(18).bytes(m.meta_data)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.type!=null&&Object.hasOwnProperty.call(m,"type")){
  if(typeof m.type!=="number"||(m.type|0)!==m.type)
  return"type: enum value expected"
  }
  if(m.meta_data!=null&&Object.hasOwnProperty.call(m,"meta_data")){
  if(!(m.meta_data&&typeof m.meta_data.length==="number"||util.isString(m.meta_data)))
  return"meta_data: buffer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T8 = lazy("org.lfedge.eve.certs.ZCertAttr", () => {
  const fields = [
    { name: "is_mutable", id: 1, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "is_tpm", id: 2, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.is_mutable!=null&&Object.hasOwnProperty.call(m,"is_mutable")&&m.is_mutable!==false)
  w.uint32(8).bool(m.is_mutable)
  if(m.is_tpm!=null&&Object.hasOwnProperty.call(m,"is_tpm")&&m.is_tpm!==false)
  w.uint32(16).bool(m.is_tpm)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.is_mutable!=null&&Object.hasOwnProperty.call(m,"is_mutable")){
  if(typeof m.is_mutable!=="boolean")
  return"is_mutable: boolean expected"
  }
  if(m.is_tpm!=null&&Object.hasOwnProperty.call(m,"is_tpm")){
  if(typeof m.is_tpm!=="boolean")
  return"is_tpm: boolean expected"
  }
  return null
}; })([null, null], util),
  };
});

const T9 = lazy("org.lfedge.eve.certs.ZCert", () => {
  const fields = [
    { name: "hashAlgo", id: 1, type: "org.lfedge.eve.common.HashAlgorithm", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "certHash", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "type", id: 3, type: "ZCertType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "cert", id: 4, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "attributes", id: 5, type: "ZCertAttr", repeated: false, isEnum: false, explicitPresence: false, message: T8 },
    { name: "meta_data_items", id: 6, type: "ZCertMetaData", repeated: true, isEnum: false, explicitPresence: false, message: T7 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.hashAlgo!=null&&Object.hasOwnProperty.call(m,"hashAlgo")&&m.hashAlgo!==0)
  w.uint32(8).int32(m.hashAlgo)
  if(m.certHash!=null&&Object.hasOwnProperty.call(m,"certHash")&&m.certHash.length)
  w.uint32(18).bytes(m.certHash)
  if(m.type!=null&&Object.hasOwnProperty.call(m,"type")&&m.type!==0)
  w.uint32(24).int32(m.type)
  if(m.cert!=null&&Object.hasOwnProperty.call(m,"cert")&&m.cert.length)
  w.uint32(34).bytes(m.cert)
  if(m.attributes!=null&&Object.hasOwnProperty.call(m,"attributes"))
  types[4].encode(m.attributes,w.uint32(42).fork(),q+1).ldelim()
  if(m.meta_data_items!=null&&m.meta_data_items.length){
  for(var i=0;i<m.meta_data_items.length;++i)
  types[5].encode(m.meta_data_items[i],w.uint32(50).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null, T8, T7], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.hashAlgo!=null&&Object.hasOwnProperty.call(m,"hashAlgo")){
  if(typeof m.hashAlgo!=="number"||(m.hashAlgo|0)!==m.hashAlgo)
  return"hashAlgo: enum value expected"
  }
  if(m.certHash!=null&&Object.hasOwnProperty.call(m,"certHash")){
  if(!(m.certHash&&typeof m.certHash.length==="number"||util.isString(m.certHash)))
  return"certHash: buffer expected"
  }
  if(m.type!=null&&Object.hasOwnProperty.call(m,"type")){
  if(typeof m.type!=="number"||(m.type|0)!==m.type)
  return"type: enum value expected"
  }
  if(m.cert!=null&&Object.hasOwnProperty.call(m,"cert")){
  if(!(m.cert&&typeof m.cert.length==="number"||util.isString(m.cert)))
  return"cert: buffer expected"
  }
  if(m.attributes!=null&&Object.hasOwnProperty.call(m,"attributes")){
  {
  var e=types[4].verify(m.attributes,q+1);
  if(e)
  return"attributes."+e
  }
  }
  if(m.meta_data_items!=null&&Object.hasOwnProperty.call(m,"meta_data_items")){
  if(!Array.isArray(m.meta_data_items))
  return"meta_data_items: array expected"
  for(var i=0;i<m.meta_data_items.length;++i){
  {
  var e=types[5].verify(m.meta_data_items[i],q+1);
  if(e)
  return"meta_data_items."+e
  }
  }
  }
  return null
}; })([null, null, null, null, T8, T7], util),
  };
});

const T10 = lazy("org.lfedge.eve.register.ZRegisterMsg", () => {
  const fields = [
    { name: "onBoardKey", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "pemCert", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "serial", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "softSerial", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.onBoardKey!=null&&Object.hasOwnProperty.call(m,"onBoardKey")&&m.onBoardKey!=="")
  w.uint32(10).string(m.onBoardKey)
  if(m.pemCert!=null&&Object.hasOwnProperty.call(m,"pemCert")&&m.pemCert.length)
  w.uint32(18).bytes(m.pemCert)
  if(m.serial!=null&&Object.hasOwnProperty.call(m,"serial")&&m.serial!=="")
  w.uint32(26).string(m.serial)
  if(m.softSerial!=null&&Object.hasOwnProperty.call(m,"softSerial")&&m.softSerial!=="")
  w.uint32(34).string(m.softSerial)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.onBoardKey!=null&&Object.hasOwnProperty.call(m,"onBoardKey")){
  if(!util.isString(m.onBoardKey))
  return"onBoardKey: string expected"
  }
  if(m.pemCert!=null&&Object.hasOwnProperty.call(m,"pemCert")){
  if(!(m.pemCert&&typeof m.pemCert.length==="number"||util.isString(m.pemCert)))
  return"pemCert: buffer expected"
  }
  if(m.serial!=null&&Object.hasOwnProperty.call(m,"serial")){
  if(!util.isString(m.serial))
  return"serial: string expected"
  }
  if(m.softSerial!=null&&Object.hasOwnProperty.call(m,"softSerial")){
  if(!util.isString(m.softSerial))
  return"softSerial: string expected"
  }
  return null
}; })([null, null, null, null], util),
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
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  return null
}; })([], util),
  };
});

const T12 = lazy("org.lfedge.eve.uuid.UuidResponse", () => {
  const fields = [
    { name: "uuid", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "manufacturer", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "product_name", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.uuid!=null&&Object.hasOwnProperty.call(m,"uuid")&&m.uuid!=="")
  w.uint32(10).string(m.uuid)
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")&&m.manufacturer!=="")
  w.uint32(18).string(m.manufacturer)
  if(m.product_name!=null&&Object.hasOwnProperty.call(m,"product_name")&&m.product_name!=="")
  w.uint32(26).string(m.product_name)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.uuid!=null&&Object.hasOwnProperty.call(m,"uuid")){
  if(!util.isString(m.uuid))
  return"uuid: string expected"
  }
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")){
  if(!util.isString(m.manufacturer))
  return"manufacturer: string expected"
  }
  if(m.product_name!=null&&Object.hasOwnProperty.call(m,"product_name")){
  if(!util.isString(m.product_name))
  return"product_name: string expected"
  }
  return null
}; })([null, null, null], util),
  };
});

const T13 = lazy("org.lfedge.eve.attest.ZAttestReq", () => {
  const fields = [
    { name: "reqType", id: 1, type: "ZAttestReqType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "quote", id: 2, type: "ZAttestQuote", repeated: false, isEnum: false, explicitPresence: false, message: T21 },
    { name: "certs", id: 3, type: "org.lfedge.eve.certs.ZCert", repeated: true, isEnum: false, explicitPresence: false, message: T9 },
    { name: "storage_keys", id: 4, type: "AttestStorageKeys", repeated: false, isEnum: false, explicitPresence: false, message: T24 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.reqType!=null&&Object.hasOwnProperty.call(m,"reqType")&&m.reqType!==0)
  w.uint32(8).int32(m.reqType)
  if(m.quote!=null&&Object.hasOwnProperty.call(m,"quote"))
  types[1].encode(m.quote,w.uint32(18).fork(),q+1).ldelim()
  if(m.certs!=null&&m.certs.length){
  for(var i=0;i<m.certs.length;++i)
  types[2].encode(m.certs[i],w.uint32(26).fork(),q+1).ldelim()
  }
  if(m.storage_keys!=null&&Object.hasOwnProperty.call(m,"storage_keys"))
  types[3].encode(m.storage_keys,w.uint32(34).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, T21, T9, T24], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.reqType!=null&&Object.hasOwnProperty.call(m,"reqType")){
  if(typeof m.reqType!=="number"||(m.reqType|0)!==m.reqType)
  return"reqType: enum value expected"
  }
  if(m.quote!=null&&Object.hasOwnProperty.call(m,"quote")){
  {
  var e=types[1].verify(m.quote,q+1);
  if(e)
  return"quote."+e
  }
  }
  if(m.certs!=null&&Object.hasOwnProperty.call(m,"certs")){
  if(!Array.isArray(m.certs))
  return"certs: array expected"
  for(var i=0;i<m.certs.length;++i){
  {
  var e=types[2].verify(m.certs[i],q+1);
  if(e)
  return"certs."+e
  }
  }
  }
  if(m.storage_keys!=null&&Object.hasOwnProperty.call(m,"storage_keys")){
  {
  var e=types[3].verify(m.storage_keys,q+1);
  if(e)
  return"storage_keys."+e
  }
  }
  return null
}; })([null, T21, T9, T24], util),
  };
});

const T14 = lazy("org.lfedge.eve.attest.ZAttestResponse", () => {
  const fields = [
    { name: "respType", id: 1, type: "ZAttestRespType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "nonce", id: 2, type: "ZAttestNonceResp", repeated: false, isEnum: false, explicitPresence: false, message: T15 },
    { name: "quoteResp", id: 3, type: "ZAttestQuoteResp", repeated: false, isEnum: false, explicitPresence: false, message: T23 },
    { name: "storage_keys_resp", id: 4, type: "AttestStorageKeysResp", repeated: false, isEnum: false, explicitPresence: false, message: T25 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.respType!=null&&Object.hasOwnProperty.call(m,"respType")&&m.respType!==0)
  w.uint32(8).int32(m.respType)
  if(m.nonce!=null&&Object.hasOwnProperty.call(m,"nonce"))
  types[1].encode(m.nonce,w.uint32(18).fork(),q+1).ldelim()
  if(m.quoteResp!=null&&Object.hasOwnProperty.call(m,"quoteResp"))
  types[2].encode(m.quoteResp,w.uint32(26).fork(),q+1).ldelim()
  if(m.storage_keys_resp!=null&&Object.hasOwnProperty.call(m,"storage_keys_resp"))
  types[3].encode(m.storage_keys_resp,w.uint32(34).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, T15, T23, T25], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.respType!=null&&Object.hasOwnProperty.call(m,"respType")){
  if(typeof m.respType!=="number"||(m.respType|0)!==m.respType)
  return"respType: enum value expected"
  }
  if(m.nonce!=null&&Object.hasOwnProperty.call(m,"nonce")){
  {
  var e=types[1].verify(m.nonce,q+1);
  if(e)
  return"nonce."+e
  }
  }
  if(m.quoteResp!=null&&Object.hasOwnProperty.call(m,"quoteResp")){
  {
  var e=types[2].verify(m.quoteResp,q+1);
  if(e)
  return"quoteResp."+e
  }
  }
  if(m.storage_keys_resp!=null&&Object.hasOwnProperty.call(m,"storage_keys_resp")){
  {
  var e=types[3].verify(m.storage_keys_resp,q+1);
  if(e)
  return"storage_keys_resp."+e
  }
  }
  return null
}; })([null, T15, T23, T25], util),
  };
});

const T15 = lazy("org.lfedge.eve.attest.ZAttestNonceResp", () => {
  const fields = [
    { name: "nonce", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.nonce!=null&&Object.hasOwnProperty.call(m,"nonce")&&m.nonce.length)
  w.uint32(10).bytes(m.nonce)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.nonce!=null&&Object.hasOwnProperty.call(m,"nonce")){
  if(!(m.nonce&&typeof m.nonce.length==="number"||util.isString(m.nonce)))
  return"nonce: buffer expected"
  }
  return null
}; })([null], util),
  };
});

const T16 = lazy("org.lfedge.eve.attest.TpmEventDigest", () => {
  const fields = [
    { name: "hash_algo", id: 1, type: "TpmHashAlgo", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "digest", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.hash_algo!=null&&Object.hasOwnProperty.call(m,"hash_algo")&&m.hash_algo!==0)
  w.uint32(8).int32(m.hash_algo)
  if(m.digest!=null&&Object.hasOwnProperty.call(m,"digest")&&m.digest.length)
  w.uint32(18).bytes(m.digest)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.hash_algo!=null&&Object.hasOwnProperty.call(m,"hash_algo")){
  if(typeof m.hash_algo!=="number"||(m.hash_algo|0)!==m.hash_algo)
  return"hash_algo: enum value expected"
  }
  if(m.digest!=null&&Object.hasOwnProperty.call(m,"digest")){
  if(!(m.digest&&typeof m.digest.length==="number"||util.isString(m.digest)))
  return"digest: buffer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T17 = lazy("org.lfedge.eve.attest.TpmEventLogEntry", () => {
  const fields = [
    { name: "index", id: 1, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "pcr_index", id: 2, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "event_type", id: 3, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "digest", id: 4, type: "TpmEventDigest", repeated: false, isEnum: false, explicitPresence: false, message: T16 },
    { name: "event_data_binary", id: 5, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "event_data_string", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "event_binary_size", id: 7, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.index!=null&&Object.hasOwnProperty.call(m,"index")&&m.index!==0)
  w.uint32(8).uint32(m.index)
  if(m.pcr_index!=null&&Object.hasOwnProperty.call(m,"pcr_index")&&m.pcr_index!==0)
  w.uint32(16).uint32(m.pcr_index)
  if(m.event_type!=null&&Object.hasOwnProperty.call(m,"event_type")&&m.event_type!==0)
  w.uint32(24).uint32(m.event_type)
  if(m.digest!=null&&Object.hasOwnProperty.call(m,"digest"))
  types[3].encode(m.digest,w.uint32(34).fork(),q+1).ldelim()
  if(m.event_data_binary!=null&&Object.hasOwnProperty.call(m,"event_data_binary")&&m.event_data_binary.length)
  w.uint32(42).bytes(m.event_data_binary)
  if(m.event_data_string!=null&&Object.hasOwnProperty.call(m,"event_data_string")&&m.event_data_string!=="")
  w.uint32(50).string(m.event_data_string)
  if(m.event_binary_size!=null&&Object.hasOwnProperty.call(m,"event_binary_size")&&m.event_binary_size!==0)
  w.uint32(56).uint32(m.event_binary_size)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, T16, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.index!=null&&Object.hasOwnProperty.call(m,"index")){
  if(!util.isInteger(m.index))
  return"index: integer expected"
  }
  if(m.pcr_index!=null&&Object.hasOwnProperty.call(m,"pcr_index")){
  if(!util.isInteger(m.pcr_index))
  return"pcr_index: integer expected"
  }
  if(m.event_type!=null&&Object.hasOwnProperty.call(m,"event_type")){
  if(!util.isInteger(m.event_type))
  return"event_type: integer expected"
  }
  if(m.digest!=null&&Object.hasOwnProperty.call(m,"digest")){
  {
  var e=types[3].verify(m.digest,q+1);
  if(e)
  return"digest."+e
  }
  }
  if(m.event_data_binary!=null&&Object.hasOwnProperty.call(m,"event_data_binary")){
  if(!(m.event_data_binary&&typeof m.event_data_binary.length==="number"||util.isString(m.event_data_binary)))
  return"event_data_binary: buffer expected"
  }
  if(m.event_data_string!=null&&Object.hasOwnProperty.call(m,"event_data_string")){
  if(!util.isString(m.event_data_string))
  return"event_data_string: string expected"
  }
  if(m.event_binary_size!=null&&Object.hasOwnProperty.call(m,"event_binary_size")){
  if(!util.isInteger(m.event_binary_size))
  return"event_binary_size: integer expected"
  }
  return null
}; })([null, null, null, T16, null, null, null], util),
  };
});

const T18 = lazy("org.lfedge.eve.attest.AttestGPSCoordinates", () => {
  const fields = [
    { name: "gps_input", id: 1, type: "AttestGPSInput", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "latitude", id: 2, type: "double", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "longitude", id: 3, type: "double", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.gps_input!=null&&Object.hasOwnProperty.call(m,"gps_input")&&m.gps_input!==0)
  w.uint32(8).int32(m.gps_input)
  if(m.latitude!=null&&Object.hasOwnProperty.call(m,"latitude")&&!Object.is(m.latitude,0))
  w.uint32(17).double(m.latitude)
  if(m.longitude!=null&&Object.hasOwnProperty.call(m,"longitude")&&!Object.is(m.longitude,0))
  w.uint32(25).double(m.longitude)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.gps_input!=null&&Object.hasOwnProperty.call(m,"gps_input")){
  if(typeof m.gps_input!=="number"||(m.gps_input|0)!==m.gps_input)
  return"gps_input: enum value expected"
  }
  if(m.latitude!=null&&Object.hasOwnProperty.call(m,"latitude")){
  if(typeof m.latitude!=="number")
  return"latitude: number expected"
  }
  if(m.longitude!=null&&Object.hasOwnProperty.call(m,"longitude")){
  if(typeof m.longitude!=="number")
  return"longitude: number expected"
  }
  return null
}; })([null, null, null], util),
  };
});

const T19 = lazy("org.lfedge.eve.attest.AttestVersionInfo", () => {
  const fields = [
    { name: "version_type", id: 1, type: "AttestVersionType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "version", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.version_type!=null&&Object.hasOwnProperty.call(m,"version_type")&&m.version_type!==0)
  w.uint32(8).int32(m.version_type)
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")&&m.version!=="")
  w.uint32(18).string(m.version)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.version_type!=null&&Object.hasOwnProperty.call(m,"version_type")){
  if(typeof m.version_type!=="number"||(m.version_type|0)!==m.version_type)
  return"version_type: enum value expected"
  }
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")){
  if(!util.isString(m.version))
  return"version: string expected"
  }
  return null
}; })([null, null], util),
  };
});

const T20 = lazy("org.lfedge.eve.attest.TpmPCRValue", () => {
  const fields = [
    { name: "index", id: 1, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "hash_algo", id: 2, type: "TpmHashAlgo", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "value", id: 3, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.index!=null&&Object.hasOwnProperty.call(m,"index")&&m.index!==0)
  w.uint32(8).uint32(m.index)
  if(m.hash_algo!=null&&Object.hasOwnProperty.call(m,"hash_algo")&&m.hash_algo!==0)
  w.uint32(16).int32(m.hash_algo)
  if(m.value!=null&&Object.hasOwnProperty.call(m,"value")&&m.value.length)
  w.uint32(26).bytes(m.value)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.index!=null&&Object.hasOwnProperty.call(m,"index")){
  if(!util.isInteger(m.index))
  return"index: integer expected"
  }
  if(m.hash_algo!=null&&Object.hasOwnProperty.call(m,"hash_algo")){
  if(typeof m.hash_algo!=="number"||(m.hash_algo|0)!==m.hash_algo)
  return"hash_algo: enum value expected"
  }
  if(m.value!=null&&Object.hasOwnProperty.call(m,"value")){
  if(!(m.value&&typeof m.value.length==="number"||util.isString(m.value)))
  return"value: buffer expected"
  }
  return null
}; })([null, null, null], util),
  };
});

const T21 = lazy("org.lfedge.eve.attest.ZAttestQuote", () => {
  const fields = [
    { name: "attestData", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "signature", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "pcr_values", id: 3, type: "TpmPCRValue", repeated: true, isEnum: false, explicitPresence: false, message: T20 },
    { name: "event_log", id: 4, type: "TpmEventLogEntry", repeated: true, isEnum: false, explicitPresence: false, message: T17 },
    { name: "versions", id: 5, type: "AttestVersionInfo", repeated: true, isEnum: false, explicitPresence: false, message: T19 },
    { name: "gps_info", id: 6, type: "AttestGPSCoordinates", repeated: false, isEnum: false, explicitPresence: false, message: T18 },
    { name: "tpm_binary_event_log", id: 7, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.attestData!=null&&Object.hasOwnProperty.call(m,"attestData")&&m.attestData.length)
  w.uint32(10).bytes(m.attestData)
  if(m.signature!=null&&Object.hasOwnProperty.call(m,"signature")&&m.signature.length)
  w.uint32(18).bytes(m.signature)
  if(m.pcr_values!=null&&m.pcr_values.length){
  for(var i=0;i<m.pcr_values.length;++i)
  types[2].encode(m.pcr_values[i],w.uint32(26).fork(),q+1).ldelim()
  }
  if(m.event_log!=null&&m.event_log.length){
  for(var i=0;i<m.event_log.length;++i)
  types[3].encode(m.event_log[i],w.uint32(34).fork(),q+1).ldelim()
  }
  if(m.versions!=null&&m.versions.length){
  for(var i=0;i<m.versions.length;++i)
  types[4].encode(m.versions[i],w.uint32(42).fork(),q+1).ldelim()
  }
  if(m.gps_info!=null&&Object.hasOwnProperty.call(m,"gps_info"))
  types[5].encode(m.gps_info,w.uint32(50).fork(),q+1).ldelim()
  if(m.tpm_binary_event_log!=null&&Object.hasOwnProperty.call(m,"tpm_binary_event_log")&&m.tpm_binary_event_log.length)
  w.uint32(58).bytes(m.tpm_binary_event_log)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, T20, T17, T19, T18, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.attestData!=null&&Object.hasOwnProperty.call(m,"attestData")){
  if(!(m.attestData&&typeof m.attestData.length==="number"||util.isString(m.attestData)))
  return"attestData: buffer expected"
  }
  if(m.signature!=null&&Object.hasOwnProperty.call(m,"signature")){
  if(!(m.signature&&typeof m.signature.length==="number"||util.isString(m.signature)))
  return"signature: buffer expected"
  }
  if(m.pcr_values!=null&&Object.hasOwnProperty.call(m,"pcr_values")){
  if(!Array.isArray(m.pcr_values))
  return"pcr_values: array expected"
  for(var i=0;i<m.pcr_values.length;++i){
  {
  var e=types[2].verify(m.pcr_values[i],q+1);
  if(e)
  return"pcr_values."+e
  }
  }
  }
  if(m.event_log!=null&&Object.hasOwnProperty.call(m,"event_log")){
  if(!Array.isArray(m.event_log))
  return"event_log: array expected"
  for(var i=0;i<m.event_log.length;++i){
  {
  var e=types[3].verify(m.event_log[i],q+1);
  if(e)
  return"event_log."+e
  }
  }
  }
  if(m.versions!=null&&Object.hasOwnProperty.call(m,"versions")){
  if(!Array.isArray(m.versions))
  return"versions: array expected"
  for(var i=0;i<m.versions.length;++i){
  {
  var e=types[4].verify(m.versions[i],q+1);
  if(e)
  return"versions."+e
  }
  }
  }
  if(m.gps_info!=null&&Object.hasOwnProperty.call(m,"gps_info")){
  {
  var e=types[5].verify(m.gps_info,q+1);
  if(e)
  return"gps_info."+e
  }
  }
  if(m.tpm_binary_event_log!=null&&Object.hasOwnProperty.call(m,"tpm_binary_event_log")){
  if(!(m.tpm_binary_event_log&&typeof m.tpm_binary_event_log.length==="number"||util.isString(m.tpm_binary_event_log)))
  return"tpm_binary_event_log: buffer expected"
  }
  return null
}; })([null, null, T20, T17, T19, T18, null], util),
  };
});

const T22 = lazy("org.lfedge.eve.attest.AttestVolumeKey", () => {
  const fields = [
    { name: "key_type", id: 1, type: "AttestVolumeKeyType", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "key", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "has_policy_pcr_list", id: 4, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "policy_pcr_list", id: 5, type: "AttestPolicyPcrList", repeated: false, isEnum: false, explicitPresence: false, message: T26 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.key_type!=null&&Object.hasOwnProperty.call(m,"key_type")&&m.key_type!==0)
  w.uint32(8).int32(m.key_type)
  if(m.key!=null&&Object.hasOwnProperty.call(m,"key")&&m.key.length)
  w.uint32(18).bytes(m.key)
  if(m.has_policy_pcr_list!=null&&Object.hasOwnProperty.call(m,"has_policy_pcr_list")&&m.has_policy_pcr_list!==false)
  w.uint32(32).bool(m.has_policy_pcr_list)
  if(m.policy_pcr_list!=null&&Object.hasOwnProperty.call(m,"policy_pcr_list"))
  types[3].encode(m.policy_pcr_list,w.uint32(42).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, T26], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.key_type!=null&&Object.hasOwnProperty.call(m,"key_type")){
  if(typeof m.key_type!=="number"||(m.key_type|0)!==m.key_type)
  return"key_type: enum value expected"
  }
  if(m.key!=null&&Object.hasOwnProperty.call(m,"key")){
  if(!(m.key&&typeof m.key.length==="number"||util.isString(m.key)))
  return"key: buffer expected"
  }
  if(m.has_policy_pcr_list!=null&&Object.hasOwnProperty.call(m,"has_policy_pcr_list")){
  if(typeof m.has_policy_pcr_list!=="boolean")
  return"has_policy_pcr_list: boolean expected"
  }
  if(m.policy_pcr_list!=null&&Object.hasOwnProperty.call(m,"policy_pcr_list")){
  {
  var e=types[3].verify(m.policy_pcr_list,q+1);
  if(e)
  return"policy_pcr_list."+e
  }
  }
  return null
}; })([null, null, null, T26], util),
  };
});

const T23 = lazy("org.lfedge.eve.attest.ZAttestQuoteResp", () => {
  const fields = [
    { name: "response", id: 1, type: "ZAttestResponseCode", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "integrity_token", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "keys", id: 3, type: "AttestVolumeKey", repeated: true, isEnum: false, explicitPresence: false, message: T22 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.response!=null&&Object.hasOwnProperty.call(m,"response")&&m.response!==0)
  w.uint32(8).int32(m.response)
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")&&m.integrity_token.length)
  w.uint32(18).bytes(m.integrity_token)
  if(m.keys!=null&&m.keys.length){
  for(var i=0;i<m.keys.length;++i)
  types[2].encode(m.keys[i],w.uint32(26).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, T22], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.response!=null&&Object.hasOwnProperty.call(m,"response")){
  if(typeof m.response!=="number"||(m.response|0)!==m.response)
  return"response: enum value expected"
  }
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")){
  if(!(m.integrity_token&&typeof m.integrity_token.length==="number"||util.isString(m.integrity_token)))
  return"integrity_token: buffer expected"
  }
  if(m.keys!=null&&Object.hasOwnProperty.call(m,"keys")){
  if(!Array.isArray(m.keys))
  return"keys: array expected"
  for(var i=0;i<m.keys.length;++i){
  {
  var e=types[2].verify(m.keys[i],q+1);
  if(e)
  return"keys."+e
  }
  }
  }
  return null
}; })([null, null, T22], util),
  };
});

const T24 = lazy("org.lfedge.eve.attest.AttestStorageKeys", () => {
  const fields = [
    { name: "integrity_token", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "keys", id: 2, type: "AttestVolumeKey", repeated: true, isEnum: false, explicitPresence: false, message: T22 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")&&m.integrity_token.length)
  w.uint32(10).bytes(m.integrity_token)
  if(m.keys!=null&&m.keys.length){
  for(var i=0;i<m.keys.length;++i)
  types[1].encode(m.keys[i],w.uint32(18).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, T22], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")){
  if(!(m.integrity_token&&typeof m.integrity_token.length==="number"||util.isString(m.integrity_token)))
  return"integrity_token: buffer expected"
  }
  if(m.keys!=null&&Object.hasOwnProperty.call(m,"keys")){
  if(!Array.isArray(m.keys))
  return"keys: array expected"
  for(var i=0;i<m.keys.length;++i){
  {
  var e=types[1].verify(m.keys[i],q+1);
  if(e)
  return"keys."+e
  }
  }
  }
  return null
}; })([null, T22], util),
  };
});

const T25 = lazy("org.lfedge.eve.attest.AttestStorageKeysResp", () => {
  const fields = [
    { name: "response", id: 1, type: "AttestStorageKeysResponseCode", repeated: false, isEnum: true, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.response!=null&&Object.hasOwnProperty.call(m,"response")&&m.response!==0)
  w.uint32(8).int32(m.response)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.response!=null&&Object.hasOwnProperty.call(m,"response")){
  if(typeof m.response!=="number"||(m.response|0)!==m.response)
  return"response: enum value expected"
  }
  return null
}; })([null], util),
  };
});

const T26 = lazy("org.lfedge.eve.attest.AttestPolicyPcrList", () => {
  const fields = [
    { name: "pcr_indices", id: 1, type: "uint32", repeated: true, isEnum: false, explicitPresence: false, message: null },
    { name: "policy_id", id: 2, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.pcr_indices!=null&&m.pcr_indices.length){
  w.uint32(10).uint32s(m.pcr_indices)
  }
  if(m.policy_id!=null&&Object.hasOwnProperty.call(m,"policy_id")&&m.policy_id!==0)
  w.uint32(16).uint32(m.policy_id)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.pcr_indices!=null&&Object.hasOwnProperty.call(m,"pcr_indices")){
  if(!Array.isArray(m.pcr_indices))
  return"pcr_indices: array expected"
  for(var i=0;i<m.pcr_indices.length;++i){
  if(!util.isInteger(m.pcr_indices[i]))
  return"pcr_indices: integer[] expected"
  }
  }
  if(m.policy_id!=null&&Object.hasOwnProperty.call(m,"policy_id")){
  if(!util.isInteger(m.policy_id))
  return"policy_id: integer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T27 = lazy("org.lfedge.eve.attest.AttestVolumeKeyData", () => {
  const fields = [
    { name: "encrypted_key", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "digest_sha256", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "version", id: 5, type: "AttestVolumeKeyVersion", repeated: false, isEnum: true, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.encrypted_key!=null&&Object.hasOwnProperty.call(m,"encrypted_key")&&m.encrypted_key.length)
  w.uint32(10).bytes(m.encrypted_key)
  if(m.digest_sha256!=null&&Object.hasOwnProperty.call(m,"digest_sha256")&&m.digest_sha256.length)
  w.uint32(18).bytes(m.digest_sha256)
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")&&m.version!==0)
  w.uint32(40).int32(m.version)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.encrypted_key!=null&&Object.hasOwnProperty.call(m,"encrypted_key")){
  if(!(m.encrypted_key&&typeof m.encrypted_key.length==="number"||util.isString(m.encrypted_key)))
  return"encrypted_key: buffer expected"
  }
  if(m.digest_sha256!=null&&Object.hasOwnProperty.call(m,"digest_sha256")){
  if(!(m.digest_sha256&&typeof m.digest_sha256.length==="number"||util.isString(m.digest_sha256)))
  return"digest_sha256: buffer expected"
  }
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")){
  if(typeof m.version!=="number"||(m.version|0)!==m.version)
  return"version: enum value expected"
  }
  return null
}; })([null, null, null], util),
  };
});

const T28 = lazy("org.lfedge.eve.config.UUIDandVersion", () => {
  const fields = [
    { name: "uuid", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "version", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.uuid!=null&&Object.hasOwnProperty.call(m,"uuid")&&m.uuid!=="")
  w.uint32(10).string(m.uuid)
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")&&m.version!=="")
  w.uint32(18).string(m.version)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.uuid!=null&&Object.hasOwnProperty.call(m,"uuid")){
  if(!util.isString(m.uuid))
  return"uuid: string expected"
  }
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")){
  if(!util.isString(m.version))
  return"version: string expected"
  }
  return null
}; })([null, null], util),
  };
});

const T29 = lazy("org.lfedge.eve.config.ConfigItem", () => {
  const fields = [
    { name: "key", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "value", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.key!=null&&Object.hasOwnProperty.call(m,"key")&&m.key!=="")
  w.uint32(10).string(m.key)
  if(m.value!=null&&Object.hasOwnProperty.call(m,"value")&&m.value!=="")
  w.uint32(18).string(m.value)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.key!=null&&Object.hasOwnProperty.call(m,"key")){
  if(!util.isString(m.key))
  return"key: string expected"
  }
  if(m.value!=null&&Object.hasOwnProperty.call(m,"value")){
  if(!util.isString(m.value))
  return"value: string expected"
  }
  return null
}; })([null, null], util),
  };
});

const T30 = lazy("org.lfedge.eve.config.EdgeDevConfig", () => {
  const fields = [
    { name: "id", id: 1, type: "UUIDandVersion", repeated: false, isEnum: false, explicitPresence: false, message: T28 },
    { name: "configItems", id: 11, type: "ConfigItem", repeated: true, isEnum: false, explicitPresence: false, message: T29 },
    { name: "manufacturer", id: 14, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "productName", id: 15, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cipherContexts", id: 19, type: "org.lfedge.eve.common.CipherContext", repeated: true, isEnum: false, explicitPresence: false, message: T2 },
    { name: "controllercert_confighash", id: 22, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "maintenance_mode", id: 24, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "controller_epoch", id: 25, type: "int64", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "global_profile", id: 27, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "device_name", id: 35, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "project_name", id: 36, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "project_id", id: 37, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "enterprise_name", id: 38, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "enterprise_id", id: 39, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "config_timestamp", id: 40, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, message: T0 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.id!=null&&Object.hasOwnProperty.call(m,"id"))
  types[0].encode(m.id,w.uint32(10).fork(),q+1).ldelim()
  if(m.configItems!=null&&m.configItems.length){
  for(var i=0;i<m.configItems.length;++i)
  types[1].encode(m.configItems[i],w.uint32(90).fork(),q+1).ldelim()
  }
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")&&m.manufacturer!=="")
  w.uint32(114).string(m.manufacturer)
  if(m.productName!=null&&Object.hasOwnProperty.call(m,"productName")&&m.productName!=="")
  w.uint32(122).string(m.productName)
  if(m.cipherContexts!=null&&m.cipherContexts.length){
  for(var i=0;i<m.cipherContexts.length;++i)
  types[4].encode(m.cipherContexts[i],w.uint32(154).fork(),q+1).ldelim()
  }
  if(m.controllercert_confighash!=null&&Object.hasOwnProperty.call(m,"controllercert_confighash")&&m.controllercert_confighash!=="")
  w.uint32(178).string(m.controllercert_confighash)
  if(m.maintenance_mode!=null&&Object.hasOwnProperty.call(m,"maintenance_mode")&&m.maintenance_mode!==false)
  w.uint32(192).bool(m.maintenance_mode)
  if(m.controller_epoch!=null&&Object.hasOwnProperty.call(m,"controller_epoch")&&(typeof m.controller_epoch==="object"?m.controller_epoch.low||m.controller_epoch.high:m.controller_epoch!==0))
  w.uint32(200).int64(m.controller_epoch)
  if(m.global_profile!=null&&Object.hasOwnProperty.call(m,"global_profile")&&m.global_profile!=="")
  w.uint32(218).string(m.global_profile)
  if(m.device_name!=null&&Object.hasOwnProperty.call(m,"device_name")&&m.device_name!=="")
  w.uint32(282).string(m.device_name)
  if(m.project_name!=null&&Object.hasOwnProperty.call(m,"project_name")&&m.project_name!=="")
  w.uint32(290).string(m.project_name)
  if(m.project_id!=null&&Object.hasOwnProperty.call(m,"project_id")&&m.project_id!=="")
  w.uint32(298).string(m.project_id)
  if(m.enterprise_name!=null&&Object.hasOwnProperty.call(m,"enterprise_name")&&m.enterprise_name!=="")
  w.uint32(306).string(m.enterprise_name)
  if(m.enterprise_id!=null&&Object.hasOwnProperty.call(m,"enterprise_id")&&m.enterprise_id!=="")
  w.uint32(314).string(m.enterprise_id)
  if(m.config_timestamp!=null&&Object.hasOwnProperty.call(m,"config_timestamp"))
  types[14].encode(m.config_timestamp,w.uint32(322).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [T28, T29, null, null, T2, null, null, null, null, null, null, null, null, null, T0], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.id!=null&&Object.hasOwnProperty.call(m,"id")){
  {
  var e=types[0].verify(m.id,q+1);
  if(e)
  return"id."+e
  }
  }
  if(m.configItems!=null&&Object.hasOwnProperty.call(m,"configItems")){
  if(!Array.isArray(m.configItems))
  return"configItems: array expected"
  for(var i=0;i<m.configItems.length;++i){
  {
  var e=types[1].verify(m.configItems[i],q+1);
  if(e)
  return"configItems."+e
  }
  }
  }
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")){
  if(!util.isString(m.manufacturer))
  return"manufacturer: string expected"
  }
  if(m.productName!=null&&Object.hasOwnProperty.call(m,"productName")){
  if(!util.isString(m.productName))
  return"productName: string expected"
  }
  if(m.cipherContexts!=null&&Object.hasOwnProperty.call(m,"cipherContexts")){
  if(!Array.isArray(m.cipherContexts))
  return"cipherContexts: array expected"
  for(var i=0;i<m.cipherContexts.length;++i){
  {
  var e=types[4].verify(m.cipherContexts[i],q+1);
  if(e)
  return"cipherContexts."+e
  }
  }
  }
  if(m.controllercert_confighash!=null&&Object.hasOwnProperty.call(m,"controllercert_confighash")){
  if(!util.isString(m.controllercert_confighash))
  return"controllercert_confighash: string expected"
  }
  if(m.maintenance_mode!=null&&Object.hasOwnProperty.call(m,"maintenance_mode")){
  if(typeof m.maintenance_mode!=="boolean")
  return"maintenance_mode: boolean expected"
  }
  if(m.controller_epoch!=null&&Object.hasOwnProperty.call(m,"controller_epoch")){
  if(!util.isInteger(m.controller_epoch)&&!(m.controller_epoch&&util.isInteger(m.controller_epoch.low)&&util.isInteger(m.controller_epoch.high)))
  return"controller_epoch: integer|Long expected"
  }
  if(m.global_profile!=null&&Object.hasOwnProperty.call(m,"global_profile")){
  if(!util.isString(m.global_profile))
  return"global_profile: string expected"
  }
  if(m.device_name!=null&&Object.hasOwnProperty.call(m,"device_name")){
  if(!util.isString(m.device_name))
  return"device_name: string expected"
  }
  if(m.project_name!=null&&Object.hasOwnProperty.call(m,"project_name")){
  if(!util.isString(m.project_name))
  return"project_name: string expected"
  }
  if(m.project_id!=null&&Object.hasOwnProperty.call(m,"project_id")){
  if(!util.isString(m.project_id))
  return"project_id: string expected"
  }
  if(m.enterprise_name!=null&&Object.hasOwnProperty.call(m,"enterprise_name")){
  if(!util.isString(m.enterprise_name))
  return"enterprise_name: string expected"
  }
  if(m.enterprise_id!=null&&Object.hasOwnProperty.call(m,"enterprise_id")){
  if(!util.isString(m.enterprise_id))
  return"enterprise_id: string expected"
  }
  if(m.config_timestamp!=null&&Object.hasOwnProperty.call(m,"config_timestamp")){
  {
  var e=types[14].verify(m.config_timestamp,q+1);
  if(e)
  return"config_timestamp."+e
  }
  }
  return null
}; })([T28, T29, null, null, T2, null, null, null, null, null, null, null, null, null, T0], util),
  };
});

const T31 = lazy("org.lfedge.eve.config.ConfigRequest", () => {
  const fields = [
    { name: "configHash", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "integrity_token", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.configHash!=null&&Object.hasOwnProperty.call(m,"configHash")&&m.configHash!=="")
  w.uint32(10).string(m.configHash)
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")&&m.integrity_token.length)
  w.uint32(18).bytes(m.integrity_token)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.configHash!=null&&Object.hasOwnProperty.call(m,"configHash")){
  if(!util.isString(m.configHash))
  return"configHash: string expected"
  }
  if(m.integrity_token!=null&&Object.hasOwnProperty.call(m,"integrity_token")){
  if(!(m.integrity_token&&typeof m.integrity_token.length==="number"||util.isString(m.integrity_token)))
  return"integrity_token: buffer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T32 = lazy("org.lfedge.eve.config.ConfigResponse", () => {
  const fields = [
    { name: "config", id: 1, type: "EdgeDevConfig", repeated: false, isEnum: false, explicitPresence: false, message: T30 },
    { name: "configHash", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.config!=null&&Object.hasOwnProperty.call(m,"config"))
  types[0].encode(m.config,w.uint32(10).fork(),q+1).ldelim()
  if(m.configHash!=null&&Object.hasOwnProperty.call(m,"configHash")&&m.configHash!=="")
  w.uint32(18).string(m.configHash)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [T30, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.config!=null&&Object.hasOwnProperty.call(m,"config")){
  {
  var e=types[0].verify(m.config,q+1);
  if(e)
  return"config."+e
  }
  }
  if(m.configHash!=null&&Object.hasOwnProperty.call(m,"configHash")){
  if(!util.isString(m.configHash))
  return"configHash: string expected"
  }
  return null
}; })([T30, null], util),
  };
});

const T33 = lazy("org.lfedge.eve.config.BootstrapConfig", () => {
  const fields = [
    { name: "signed_config", id: 1, type: "org.lfedge.eve.auth.AuthContainer", repeated: false, isEnum: false, explicitPresence: false, message: T5 },
    { name: "controller_certs", id: 2, type: "org.lfedge.eve.certs.ZCert", repeated: true, isEnum: false, explicitPresence: false, message: T9 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.signed_config!=null&&Object.hasOwnProperty.call(m,"signed_config"))
  types[0].encode(m.signed_config,w.uint32(10).fork(),q+1).ldelim()
  if(m.controller_certs!=null&&m.controller_certs.length){
  for(var i=0;i<m.controller_certs.length;++i)
  types[1].encode(m.controller_certs[i],w.uint32(18).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [T5, T9], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.signed_config!=null&&Object.hasOwnProperty.call(m,"signed_config")){
  {
  var e=types[0].verify(m.signed_config,q+1);
  if(e)
  return"signed_config."+e
  }
  }
  if(m.controller_certs!=null&&Object.hasOwnProperty.call(m,"controller_certs")){
  if(!Array.isArray(m.controller_certs))
  return"controller_certs: array expected"
  for(var i=0;i<m.controller_certs.length;++i){
  {
  var e=types[1].verify(m.controller_certs[i],q+1);
  if(e)
  return"controller_certs."+e
  }
  }
  }
  return null
}; })([T5, T9], util),
  };
});

const T34 = lazy("org.lfedge.eve.info.ErrorInfo", () => {
  const fields = [
    { name: "description", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "timestamp", id: 2, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, message: T0 },
    { name: "retry_condition", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.description!=null&&Object.hasOwnProperty.call(m,"description")&&m.description!=="")
  w.uint32(10).string(m.description)
  if(m.timestamp!=null&&Object.hasOwnProperty.call(m,"timestamp"))
  types[1].encode(m.timestamp,w.uint32(18).fork(),q+1).ldelim()
  if(m.retry_condition!=null&&Object.hasOwnProperty.call(m,"retry_condition")&&m.retry_condition!=="")
  w.uint32(42).string(m.retry_condition)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, T0, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.description!=null&&Object.hasOwnProperty.call(m,"description")){
  if(!util.isString(m.description))
  return"description: string expected"
  }
  if(m.timestamp!=null&&Object.hasOwnProperty.call(m,"timestamp")){
  {
  var e=types[1].verify(m.timestamp,q+1);
  if(e)
  return"timestamp."+e
  }
  }
  if(m.retry_condition!=null&&Object.hasOwnProperty.call(m,"retry_condition")){
  if(!util.isString(m.retry_condition))
  return"retry_condition: string expected"
  }
  return null
}; })([null, T0, null], util),
  };
});

const T35 = lazy("org.lfedge.eve.info.ZInfoMsg", () => {
  const fields = [
    { name: "ztype", id: 1, type: "ZInfoTypes", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "devId", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "dinfo", id: 3, type: "ZInfoDevice", repeated: false, isEnum: false, explicitPresence: true, message: T41 },
    { name: "atTimeStamp", id: 6, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, message: T0 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.ztype!=null&&Object.hasOwnProperty.call(m,"ztype")&&m.ztype!==0)
  w.uint32(8).int32(m.ztype)
  if(m.devId!=null&&Object.hasOwnProperty.call(m,"devId")&&m.devId!=="")
  w.uint32(18).string(m.devId)
  if(m.dinfo!=null&&Object.hasOwnProperty.call(m,"dinfo"))
  types[2].encode(m.dinfo,w.uint32(26).fork(),q+1).ldelim()
  if(m.atTimeStamp!=null&&Object.hasOwnProperty.call(m,"atTimeStamp"))
  types[3].encode(m.atTimeStamp,w.uint32(50).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, T41, T0], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  var p={}
  if(m.ztype!=null&&Object.hasOwnProperty.call(m,"ztype")){
  if(typeof m.ztype!=="number"||(m.ztype|0)!==m.ztype)
  return"ztype: enum value expected"
  }
  if(m.devId!=null&&Object.hasOwnProperty.call(m,"devId")){
  if(!util.isString(m.devId))
  return"devId: string expected"
  }
  if(m.dinfo!=null&&Object.hasOwnProperty.call(m,"dinfo")){
  p.InfoContent=1
  {
  var e=types[2].verify(m.dinfo,q+1);
  if(e)
  return"dinfo."+e
  }
  }
  if(m.atTimeStamp!=null&&Object.hasOwnProperty.call(m,"atTimeStamp")){
  {
  var e=types[3].verify(m.atTimeStamp,q+1);
  if(e)
  return"atTimeStamp."+e
  }
  }
  return null
}; })([null, null, T41, T0], util),
  };
});

const T36 = lazy("org.lfedge.eve.info.ZInfoManufacturer", () => {
  const fields = [
    { name: "manufacturer", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "productName", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "version", id: 3, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "serialNumber", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "UUID", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "compatible", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "biosVendor", id: 7, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "biosVersion", id: 8, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "biosReleaseDate", id: 9, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")&&m.manufacturer!=="")
  w.uint32(10).string(m.manufacturer)
  if(m.productName!=null&&Object.hasOwnProperty.call(m,"productName")&&m.productName!=="")
  w.uint32(18).string(m.productName)
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")&&m.version!=="")
  w.uint32(26).string(m.version)
  if(m.serialNumber!=null&&Object.hasOwnProperty.call(m,"serialNumber")&&m.serialNumber!=="")
  w.uint32(34).string(m.serialNumber)
  if(m.UUID!=null&&Object.hasOwnProperty.call(m,"UUID")&&m.UUID!=="")
  w.uint32(42).string(m.UUID)
  if(m.compatible!=null&&Object.hasOwnProperty.call(m,"compatible")&&m.compatible!=="")
  w.uint32(50).string(m.compatible)
  if(m.biosVendor!=null&&Object.hasOwnProperty.call(m,"biosVendor")&&m.biosVendor!=="")
  w.uint32(58).string(m.biosVendor)
  if(m.biosVersion!=null&&Object.hasOwnProperty.call(m,"biosVersion")&&m.biosVersion!=="")
  w.uint32(66).string(m.biosVersion)
  if(m.biosReleaseDate!=null&&Object.hasOwnProperty.call(m,"biosReleaseDate")&&m.biosReleaseDate!=="")
  w.uint32(74).string(m.biosReleaseDate)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null, null, null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.manufacturer!=null&&Object.hasOwnProperty.call(m,"manufacturer")){
  if(!util.isString(m.manufacturer))
  return"manufacturer: string expected"
  }
  if(m.productName!=null&&Object.hasOwnProperty.call(m,"productName")){
  if(!util.isString(m.productName))
  return"productName: string expected"
  }
  if(m.version!=null&&Object.hasOwnProperty.call(m,"version")){
  if(!util.isString(m.version))
  return"version: string expected"
  }
  if(m.serialNumber!=null&&Object.hasOwnProperty.call(m,"serialNumber")){
  if(!util.isString(m.serialNumber))
  return"serialNumber: string expected"
  }
  if(m.UUID!=null&&Object.hasOwnProperty.call(m,"UUID")){
  if(!util.isString(m.UUID))
  return"UUID: string expected"
  }
  if(m.compatible!=null&&Object.hasOwnProperty.call(m,"compatible")){
  if(!util.isString(m.compatible))
  return"compatible: string expected"
  }
  if(m.biosVendor!=null&&Object.hasOwnProperty.call(m,"biosVendor")){
  if(!util.isString(m.biosVendor))
  return"biosVendor: string expected"
  }
  if(m.biosVersion!=null&&Object.hasOwnProperty.call(m,"biosVersion")){
  if(!util.isString(m.biosVersion))
  return"biosVersion: string expected"
  }
  if(m.biosReleaseDate!=null&&Object.hasOwnProperty.call(m,"biosReleaseDate")){
  if(!util.isString(m.biosReleaseDate))
  return"biosReleaseDate: string expected"
  }
  return null
}; })([null, null, null, null, null, null, null, null, null], util),
  };
});

const T37 = lazy("org.lfedge.eve.info.VaultInfo", () => {
  const fields = [
    { name: "name", id: 1, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "status", id: 2, type: "DataSecAtRestStatus", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "vaultErr", id: 3, type: "ErrorInfo", repeated: false, isEnum: false, explicitPresence: false, message: T34 },
    { name: "pcrStatus", id: 4, type: "PCRStatus", repeated: false, isEnum: true, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.name!=null&&Object.hasOwnProperty.call(m,"name")&&m.name!=="")
  w.uint32(10).string(m.name)
  if(m.status!=null&&Object.hasOwnProperty.call(m,"status")&&m.status!==0)
  w.uint32(16).int32(m.status)
  if(m.vaultErr!=null&&Object.hasOwnProperty.call(m,"vaultErr"))
  types[2].encode(m.vaultErr,w.uint32(26).fork(),q+1).ldelim()
  if(m.pcrStatus!=null&&Object.hasOwnProperty.call(m,"pcrStatus")&&m.pcrStatus!==0)
  w.uint32(32).int32(m.pcrStatus)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, T34, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.name!=null&&Object.hasOwnProperty.call(m,"name")){
  if(!util.isString(m.name))
  return"name: string expected"
  }
  if(m.status!=null&&Object.hasOwnProperty.call(m,"status")){
  if(typeof m.status!=="number"||(m.status|0)!==m.status)
  return"status: enum value expected"
  }
  if(m.vaultErr!=null&&Object.hasOwnProperty.call(m,"vaultErr")){
  {
  var e=types[2].verify(m.vaultErr,q+1);
  if(e)
  return"vaultErr."+e
  }
  }
  if(m.pcrStatus!=null&&Object.hasOwnProperty.call(m,"pcrStatus")){
  if(typeof m.pcrStatus!=="number"||(m.pcrStatus|0)!==m.pcrStatus)
  return"pcrStatus: enum value expected"
  }
  return null
}; })([null, null, T34, null], util),
  };
});

const T38 = lazy("org.lfedge.eve.info.DataSecAtRest", () => {
  const fields = [
    { name: "status", id: 1, type: "DataSecAtRestStatus", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "info", id: 2, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "vaultList", id: 3, type: "VaultInfo", repeated: true, isEnum: false, explicitPresence: false, message: T37 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.status!=null&&Object.hasOwnProperty.call(m,"status")&&m.status!==0)
  w.uint32(8).int32(m.status)
  if(m.info!=null&&Object.hasOwnProperty.call(m,"info")&&m.info!=="")
  w.uint32(18).string(m.info)
  if(m.vaultList!=null&&m.vaultList.length){
  for(var i=0;i<m.vaultList.length;++i)
  types[2].encode(m.vaultList[i],w.uint32(26).fork(),q+1).ldelim()
  }
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, T37], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.status!=null&&Object.hasOwnProperty.call(m,"status")){
  if(typeof m.status!=="number"||(m.status|0)!==m.status)
  return"status: enum value expected"
  }
  if(m.info!=null&&Object.hasOwnProperty.call(m,"info")){
  if(!util.isString(m.info))
  return"info: string expected"
  }
  if(m.vaultList!=null&&Object.hasOwnProperty.call(m,"vaultList")){
  if(!Array.isArray(m.vaultList))
  return"vaultList: array expected"
  for(var i=0;i<m.vaultList.length;++i){
  {
  var e=types[2].verify(m.vaultList[i],q+1);
  if(e)
  return"vaultList."+e
  }
  }
  }
  return null
}; })([null, null, T37], util),
  };
});

const T39 = lazy("org.lfedge.eve.info.SecurityInfo", () => {
  const fields = [
    { name: "sha_root_ca", id: 1, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "sha_tls_root_ca", id: 2, type: "bytes", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.sha_root_ca!=null&&Object.hasOwnProperty.call(m,"sha_root_ca")&&m.sha_root_ca.length)
  w.uint32(10).bytes(m.sha_root_ca)
  if(m.sha_tls_root_ca!=null&&Object.hasOwnProperty.call(m,"sha_tls_root_ca")&&m.sha_tls_root_ca.length)
  w.uint32(18).bytes(m.sha_tls_root_ca)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.sha_root_ca!=null&&Object.hasOwnProperty.call(m,"sha_root_ca")){
  if(!(m.sha_root_ca&&typeof m.sha_root_ca.length==="number"||util.isString(m.sha_root_ca)))
  return"sha_root_ca: buffer expected"
  }
  if(m.sha_tls_root_ca!=null&&Object.hasOwnProperty.call(m,"sha_tls_root_ca")){
  if(!(m.sha_tls_root_ca&&typeof m.sha_tls_root_ca.length==="number"||util.isString(m.sha_tls_root_ca)))
  return"sha_tls_root_ca: buffer expected"
  }
  return null
}; })([null, null], util),
  };
});

const T40 = lazy("org.lfedge.eve.info.AttestationInfo", () => {
  const fields = [
    { name: "state", id: 1, type: "AttestationState", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "error", id: 2, type: "ErrorInfo", repeated: false, isEnum: false, explicitPresence: false, message: T34 },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.state!=null&&Object.hasOwnProperty.call(m,"state")&&m.state!==0)
  w.uint32(8).int32(m.state)
  if(m.error!=null&&Object.hasOwnProperty.call(m,"error"))
  types[1].encode(m.error,w.uint32(18).fork(),q+1).ldelim()
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, T34], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.state!=null&&Object.hasOwnProperty.call(m,"state")){
  if(typeof m.state!=="number"||(m.state|0)!==m.state)
  return"state: enum value expected"
  }
  if(m.error!=null&&Object.hasOwnProperty.call(m,"error")){
  {
  var e=types[1].verify(m.error,q+1);
  if(e)
  return"error."+e
  }
  }
  return null
}; })([null, T34], util),
  };
});

const T41 = lazy("org.lfedge.eve.info.ZInfoDevice", () => {
  const fields = [
    { name: "machineArch", id: 4, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "cpuArch", id: 5, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "platform", id: 6, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "ncpu", id: 7, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "memory", id: 8, type: "uint64", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "storage", id: 9, type: "uint64", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "powerCycleCounter", id: 10, type: "int64", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "minfo", id: 11, type: "ZInfoManufacturer", repeated: false, isEnum: false, explicitPresence: false, message: T36 },
    { name: "bootTime", id: 18, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, message: T0 },
    { name: "HostName", id: 20, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "lastRebootReason", id: 22, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "lastRebootTime", id: 23, type: "google.protobuf.Timestamp", repeated: false, isEnum: false, explicitPresence: false, message: T0 },
    { name: "restartCounter", id: 25, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "HSMStatus", id: 26, type: "HwSecurityModuleStatus", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "HSMInfo", id: 27, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "lastRebootStack", id: 28, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "dataSecAtRestInfo", id: 29, type: "DataSecAtRest", repeated: false, isEnum: false, explicitPresence: false, message: T38 },
    { name: "sec_info", id: 30, type: "SecurityInfo", repeated: false, isEnum: false, explicitPresence: false, message: T39 },
    { name: "rebootConfigCounter", id: 33, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "maintenance_mode", id: 38, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "maintenance_mode_reason", id: 39, type: "MaintenanceModeReason", repeated: false, isEnum: true, explicitPresence: false, message: null },
    { name: "hardware_watchdog_present", id: 40, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "reboot_inprogress", id: 41, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "baseos_update_counter", id: 43, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "local_profile", id: 45, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "maintenance_mode_reasons", id: 46, type: "MaintenanceModeReason", repeated: true, isEnum: true, explicitPresence: false, message: null },
    { name: "dormant_time", id: 47, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "shutdown_config_counter", id: 49, type: "uint32", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "attestation_info", id: 50, type: "AttestationInfo", repeated: false, isEnum: false, explicitPresence: false, message: T40 },
    { name: "remote_access_disabled", id: 52, type: "bool", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "device_name", id: 54, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "enterprise_name", id: 55, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "enterprise_id", id: 56, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "project_name", id: 57, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
    { name: "project_id", id: 58, type: "string", repeated: false, isEnum: false, explicitPresence: false, message: null },
  ];
  const byId = {};
  for (const f of fields) byId[f.id] = f;
  return {
    fields,
    byId,
    encode: (function (Writer, types, util) { return function (m,w,q){
  if(!w)
  w=Writer.create()
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  throw Error("max depth exceeded")
  if(m.machineArch!=null&&Object.hasOwnProperty.call(m,"machineArch")&&m.machineArch!=="")
  w.uint32(34).string(m.machineArch)
  if(m.cpuArch!=null&&Object.hasOwnProperty.call(m,"cpuArch")&&m.cpuArch!=="")
  w.uint32(42).string(m.cpuArch)
  if(m.platform!=null&&Object.hasOwnProperty.call(m,"platform")&&m.platform!=="")
  w.uint32(50).string(m.platform)
  if(m.ncpu!=null&&Object.hasOwnProperty.call(m,"ncpu")&&m.ncpu!==0)
  w.uint32(56).uint32(m.ncpu)
  if(m.memory!=null&&Object.hasOwnProperty.call(m,"memory")&&(typeof m.memory==="object"?m.memory.low||m.memory.high:m.memory!==0))
  w.uint32(64).uint64(m.memory)
  if(m.storage!=null&&Object.hasOwnProperty.call(m,"storage")&&(typeof m.storage==="object"?m.storage.low||m.storage.high:m.storage!==0))
  w.uint32(72).uint64(m.storage)
  if(m.powerCycleCounter!=null&&Object.hasOwnProperty.call(m,"powerCycleCounter")&&(typeof m.powerCycleCounter==="object"?m.powerCycleCounter.low||m.powerCycleCounter.high:m.powerCycleCounter!==0))
  w.uint32(80).int64(m.powerCycleCounter)
  if(m.minfo!=null&&Object.hasOwnProperty.call(m,"minfo"))
  types[7].encode(m.minfo,w.uint32(90).fork(),q+1).ldelim()
  if(m.bootTime!=null&&Object.hasOwnProperty.call(m,"bootTime"))
  types[8].encode(m.bootTime,w.uint32(146).fork(),q+1).ldelim()
  if(m.HostName!=null&&Object.hasOwnProperty.call(m,"HostName")&&m.HostName!=="")
  w.uint32(162).string(m.HostName)
  if(m.lastRebootReason!=null&&Object.hasOwnProperty.call(m,"lastRebootReason")&&m.lastRebootReason!=="")
  w.uint32(178).string(m.lastRebootReason)
  if(m.lastRebootTime!=null&&Object.hasOwnProperty.call(m,"lastRebootTime"))
  types[11].encode(m.lastRebootTime,w.uint32(186).fork(),q+1).ldelim()
  if(m.restartCounter!=null&&Object.hasOwnProperty.call(m,"restartCounter")&&m.restartCounter!==0)
  w.uint32(200).uint32(m.restartCounter)
  if(m.HSMStatus!=null&&Object.hasOwnProperty.call(m,"HSMStatus")&&m.HSMStatus!==0)
  w.uint32(208).int32(m.HSMStatus)
  if(m.HSMInfo!=null&&Object.hasOwnProperty.call(m,"HSMInfo")&&m.HSMInfo!=="")
  w.uint32(218).string(m.HSMInfo)
  if(m.lastRebootStack!=null&&Object.hasOwnProperty.call(m,"lastRebootStack")&&m.lastRebootStack!=="")
  w.uint32(226).string(m.lastRebootStack)
  if(m.dataSecAtRestInfo!=null&&Object.hasOwnProperty.call(m,"dataSecAtRestInfo"))
  types[16].encode(m.dataSecAtRestInfo,w.uint32(234).fork(),q+1).ldelim()
  if(m.sec_info!=null&&Object.hasOwnProperty.call(m,"sec_info"))
  types[17].encode(m.sec_info,w.uint32(242).fork(),q+1).ldelim()
  if(m.rebootConfigCounter!=null&&Object.hasOwnProperty.call(m,"rebootConfigCounter")&&m.rebootConfigCounter!==0)
  w.uint32(264).uint32(m.rebootConfigCounter)
  if(m.maintenance_mode!=null&&Object.hasOwnProperty.call(m,"maintenance_mode")&&m.maintenance_mode!==false)
  w.uint32(304).bool(m.maintenance_mode)
  if(m.maintenance_mode_reason!=null&&Object.hasOwnProperty.call(m,"maintenance_mode_reason")&&m.maintenance_mode_reason!==0)
  w.uint32(312).int32(m.maintenance_mode_reason)
  if(m.hardware_watchdog_present!=null&&Object.hasOwnProperty.call(m,"hardware_watchdog_present")&&m.hardware_watchdog_present!==false)
  w.uint32(320).bool(m.hardware_watchdog_present)
  if(m.reboot_inprogress!=null&&Object.hasOwnProperty.call(m,"reboot_inprogress")&&m.reboot_inprogress!==false)
  w.uint32(328).bool(m.reboot_inprogress)
  if(m.baseos_update_counter!=null&&Object.hasOwnProperty.call(m,"baseos_update_counter")&&m.baseos_update_counter!==0)
  w.uint32(344).uint32(m.baseos_update_counter)
  if(m.local_profile!=null&&Object.hasOwnProperty.call(m,"local_profile")&&m.local_profile!=="")
  w.uint32(362).string(m.local_profile)
  if(m.maintenance_mode_reasons!=null&&m.maintenance_mode_reasons.length){
  w.uint32(370).int32s(m.maintenance_mode_reasons)
  }
  if(m.dormant_time!=null&&Object.hasOwnProperty.call(m,"dormant_time")&&m.dormant_time!=="")
  w.uint32(378).string(m.dormant_time)
  if(m.shutdown_config_counter!=null&&Object.hasOwnProperty.call(m,"shutdown_config_counter")&&m.shutdown_config_counter!==0)
  w.uint32(392).uint32(m.shutdown_config_counter)
  if(m.attestation_info!=null&&Object.hasOwnProperty.call(m,"attestation_info"))
  types[28].encode(m.attestation_info,w.uint32(402).fork(),q+1).ldelim()
  if(m.remote_access_disabled!=null&&Object.hasOwnProperty.call(m,"remote_access_disabled")&&m.remote_access_disabled!==false)
  w.uint32(416).bool(m.remote_access_disabled)
  if(m.device_name!=null&&Object.hasOwnProperty.call(m,"device_name")&&m.device_name!=="")
  w.uint32(434).string(m.device_name)
  if(m.enterprise_name!=null&&Object.hasOwnProperty.call(m,"enterprise_name")&&m.enterprise_name!=="")
  w.uint32(442).string(m.enterprise_name)
  if(m.enterprise_id!=null&&Object.hasOwnProperty.call(m,"enterprise_id")&&m.enterprise_id!=="")
  w.uint32(450).string(m.enterprise_id)
  if(m.project_name!=null&&Object.hasOwnProperty.call(m,"project_name")&&m.project_name!=="")
  w.uint32(458).string(m.project_name)
  if(m.project_id!=null&&Object.hasOwnProperty.call(m,"project_id")&&m.project_id!=="")
  w.uint32(466).string(m.project_id)
  if(m.$unknowns!=null&&Object.hasOwnProperty.call(m,"$unknowns"))
  for(var i=0;i<m.$unknowns.length;++i)
  w.raw(m.$unknowns[i])
  return w
}; })(Writer, [null, null, null, null, null, null, null, T36, T0, null, null, T0, null, null, null, null, T38, T39, null, null, null, null, null, null, null, null, null, null, T40, null, null, null, null, null, null], util),
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
    verify: (function (types, util) { return function (m,q){
  if(typeof m!=="object"||m===null)
  return"object expected"
  if(q===undefined)q=0
  if(q>util.recursionLimit)
  return"max depth exceeded"
  if(m.machineArch!=null&&Object.hasOwnProperty.call(m,"machineArch")){
  if(!util.isString(m.machineArch))
  return"machineArch: string expected"
  }
  if(m.cpuArch!=null&&Object.hasOwnProperty.call(m,"cpuArch")){
  if(!util.isString(m.cpuArch))
  return"cpuArch: string expected"
  }
  if(m.platform!=null&&Object.hasOwnProperty.call(m,"platform")){
  if(!util.isString(m.platform))
  return"platform: string expected"
  }
  if(m.ncpu!=null&&Object.hasOwnProperty.call(m,"ncpu")){
  if(!util.isInteger(m.ncpu))
  return"ncpu: integer expected"
  }
  if(m.memory!=null&&Object.hasOwnProperty.call(m,"memory")){
  if(!util.isInteger(m.memory)&&!(m.memory&&util.isInteger(m.memory.low)&&util.isInteger(m.memory.high)))
  return"memory: integer|Long expected"
  }
  if(m.storage!=null&&Object.hasOwnProperty.call(m,"storage")){
  if(!util.isInteger(m.storage)&&!(m.storage&&util.isInteger(m.storage.low)&&util.isInteger(m.storage.high)))
  return"storage: integer|Long expected"
  }
  if(m.powerCycleCounter!=null&&Object.hasOwnProperty.call(m,"powerCycleCounter")){
  if(!util.isInteger(m.powerCycleCounter)&&!(m.powerCycleCounter&&util.isInteger(m.powerCycleCounter.low)&&util.isInteger(m.powerCycleCounter.high)))
  return"powerCycleCounter: integer|Long expected"
  }
  if(m.minfo!=null&&Object.hasOwnProperty.call(m,"minfo")){
  {
  var e=types[7].verify(m.minfo,q+1);
  if(e)
  return"minfo."+e
  }
  }
  if(m.bootTime!=null&&Object.hasOwnProperty.call(m,"bootTime")){
  {
  var e=types[8].verify(m.bootTime,q+1);
  if(e)
  return"bootTime."+e
  }
  }
  if(m.HostName!=null&&Object.hasOwnProperty.call(m,"HostName")){
  if(!util.isString(m.HostName))
  return"HostName: string expected"
  }
  if(m.lastRebootReason!=null&&Object.hasOwnProperty.call(m,"lastRebootReason")){
  if(!util.isString(m.lastRebootReason))
  return"lastRebootReason: string expected"
  }
  if(m.lastRebootTime!=null&&Object.hasOwnProperty.call(m,"lastRebootTime")){
  {
  var e=types[11].verify(m.lastRebootTime,q+1);
  if(e)
  return"lastRebootTime."+e
  }
  }
  if(m.restartCounter!=null&&Object.hasOwnProperty.call(m,"restartCounter")){
  if(!util.isInteger(m.restartCounter))
  return"restartCounter: integer expected"
  }
  if(m.HSMStatus!=null&&Object.hasOwnProperty.call(m,"HSMStatus")){
  if(typeof m.HSMStatus!=="number"||(m.HSMStatus|0)!==m.HSMStatus)
  return"HSMStatus: enum value expected"
  }
  if(m.HSMInfo!=null&&Object.hasOwnProperty.call(m,"HSMInfo")){
  if(!util.isString(m.HSMInfo))
  return"HSMInfo: string expected"
  }
  if(m.lastRebootStack!=null&&Object.hasOwnProperty.call(m,"lastRebootStack")){
  if(!util.isString(m.lastRebootStack))
  return"lastRebootStack: string expected"
  }
  if(m.dataSecAtRestInfo!=null&&Object.hasOwnProperty.call(m,"dataSecAtRestInfo")){
  {
  var e=types[16].verify(m.dataSecAtRestInfo,q+1);
  if(e)
  return"dataSecAtRestInfo."+e
  }
  }
  if(m.sec_info!=null&&Object.hasOwnProperty.call(m,"sec_info")){
  {
  var e=types[17].verify(m.sec_info,q+1);
  if(e)
  return"sec_info."+e
  }
  }
  if(m.rebootConfigCounter!=null&&Object.hasOwnProperty.call(m,"rebootConfigCounter")){
  if(!util.isInteger(m.rebootConfigCounter))
  return"rebootConfigCounter: integer expected"
  }
  if(m.maintenance_mode!=null&&Object.hasOwnProperty.call(m,"maintenance_mode")){
  if(typeof m.maintenance_mode!=="boolean")
  return"maintenance_mode: boolean expected"
  }
  if(m.maintenance_mode_reason!=null&&Object.hasOwnProperty.call(m,"maintenance_mode_reason")){
  if(typeof m.maintenance_mode_reason!=="number"||(m.maintenance_mode_reason|0)!==m.maintenance_mode_reason)
  return"maintenance_mode_reason: enum value expected"
  }
  if(m.hardware_watchdog_present!=null&&Object.hasOwnProperty.call(m,"hardware_watchdog_present")){
  if(typeof m.hardware_watchdog_present!=="boolean")
  return"hardware_watchdog_present: boolean expected"
  }
  if(m.reboot_inprogress!=null&&Object.hasOwnProperty.call(m,"reboot_inprogress")){
  if(typeof m.reboot_inprogress!=="boolean")
  return"reboot_inprogress: boolean expected"
  }
  if(m.baseos_update_counter!=null&&Object.hasOwnProperty.call(m,"baseos_update_counter")){
  if(!util.isInteger(m.baseos_update_counter))
  return"baseos_update_counter: integer expected"
  }
  if(m.local_profile!=null&&Object.hasOwnProperty.call(m,"local_profile")){
  if(!util.isString(m.local_profile))
  return"local_profile: string expected"
  }
  if(m.maintenance_mode_reasons!=null&&Object.hasOwnProperty.call(m,"maintenance_mode_reasons")){
  if(!Array.isArray(m.maintenance_mode_reasons))
  return"maintenance_mode_reasons: array expected"
  for(var i=0;i<m.maintenance_mode_reasons.length;++i){
  if(typeof m.maintenance_mode_reasons[i]!=="number"||(m.maintenance_mode_reasons[i]|0)!==m.maintenance_mode_reasons[i])
  return"maintenance_mode_reasons: enum value[] expected"
  }
  }
  if(m.dormant_time!=null&&Object.hasOwnProperty.call(m,"dormant_time")){
  if(!util.isString(m.dormant_time))
  return"dormant_time: string expected"
  }
  if(m.shutdown_config_counter!=null&&Object.hasOwnProperty.call(m,"shutdown_config_counter")){
  if(!util.isInteger(m.shutdown_config_counter))
  return"shutdown_config_counter: integer expected"
  }
  if(m.attestation_info!=null&&Object.hasOwnProperty.call(m,"attestation_info")){
  {
  var e=types[28].verify(m.attestation_info,q+1);
  if(e)
  return"attestation_info."+e
  }
  }
  if(m.remote_access_disabled!=null&&Object.hasOwnProperty.call(m,"remote_access_disabled")){
  if(typeof m.remote_access_disabled!=="boolean")
  return"remote_access_disabled: boolean expected"
  }
  if(m.device_name!=null&&Object.hasOwnProperty.call(m,"device_name")){
  if(!util.isString(m.device_name))
  return"device_name: string expected"
  }
  if(m.enterprise_name!=null&&Object.hasOwnProperty.call(m,"enterprise_name")){
  if(!util.isString(m.enterprise_name))
  return"enterprise_name: string expected"
  }
  if(m.enterprise_id!=null&&Object.hasOwnProperty.call(m,"enterprise_id")){
  if(!util.isString(m.enterprise_id))
  return"enterprise_id: string expected"
  }
  if(m.project_name!=null&&Object.hasOwnProperty.call(m,"project_name")){
  if(!util.isString(m.project_name))
  return"project_name: string expected"
  }
  if(m.project_id!=null&&Object.hasOwnProperty.call(m,"project_id")){
  if(!util.isString(m.project_id))
  return"project_id: string expected"
  }
  return null
}; })([null, null, null, null, null, null, null, T36, T0, null, null, T0, null, null, null, null, T38, T39, null, null, null, null, null, null, null, null, null, null, T40, null, null, null, null, null, null], util),
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
