/*
 * The TPM floor for `npm run bench`: what the agent's TPM work costs when C
 * calls ESAPI directly, on the same swtpm, in the same run.
 *
 *   esys-bench quote  TCTI N              ms per TPM2_Quote (key 0x81000004, SHA-256 PCRs 0..15)
 *   esys-bench quote  TCTI N HANDLE PCRS  the same with another key and PCR list (Keylime's AK, its mask)
 *   esys-bench sign   TCTI AUTH N         ms per TPM2_Sign (device key 0x817FFFFF, ECDSA-SHA256)
 *   esys-bench unseal TCTI PCRS N         ms per vault-key unseal from NV 0x1800000/0x1900000
 *                                         (these three: median and mean of N timed one by one)
 *   esys-bench boot-cold TCTI AUTH SIGNS  a first boot's TPM commands on a fresh TPM, total ms
 *   esys-bench boot-warm TCTI AUTH SIGNS  a later boot's TPM commands on the same TPM, total ms
 *
 * The boot sequences are the protocol's TPM work as EVE's layout asks for
 * it (docs/tpm.md): EVE's primaries at 0x81000001..4, device and ECDH
 * keys under the SRK, the device certificate mirrored to NV, the vault key
 * sealed to PCRs over an EK-salted session and stored in NV, one ECDH_ZGen
 * for the escrow, the PCRs and one quote, and one ECDSA signature per
 * envelope the device signs before it is trusted (SIGNS, counted from the
 * agent's own run). A warm boot opens the keys, unseals and attests. Every
 * figure includes opening the TCTI and the ESAPI context, as the agent pays.
 *
 * Output is one JSON object on stdout; errors go to stderr with exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/sha.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_tctildr.h>

#define H_EK 0x81000001
#define H_SRK 0x81000002
#define H_AIK 0x81000003
#define H_QUOTE 0x81000004
#define H_ECDH 0x81000005
#define H_DEVICE 0x817FFFFF
#define NV_DEVICE_CERT 0x1500000
#define NV_SEALED_PRIV 0x1800000
#define NV_SEALED_PUB 0x1900000

static const char *DEFAULT_SEAL_PCRS = "0,1,2,3,4,6,7,8,9,10,11,12,13,14";

static int commands;

#define CHECK(call)                                                                 \
  do {                                                                              \
    TSS2_RC rc_ = (call);                                                           \
    commands++;                                                                     \
    if (rc_ != TSS2_RC_SUCCESS) {                                                   \
      fprintf(stderr, "esys-bench: %s failed: 0x%x (line %d)\n", #call, rc_, __LINE__); \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- EVE's templates ---------------------------------------------------- */

static const BYTE TCG_EK_POLICY[32] = {0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
                                       0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
                                       0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa};

#define SIGNING_ATTRS                                                                                       \
  (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | \
   TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT | TPMA_OBJECT_NODA)
#define CHILD_ATTRS \
  (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA)

static TPM2B_PUBLIC rsa_template(TPMA_OBJECT attrs, int storage, int sign) {
  TPM2B_PUBLIC t = {0};
  t.publicArea.type = TPM2_ALG_RSA;
  t.publicArea.nameAlg = TPM2_ALG_SHA256;
  t.publicArea.objectAttributes = attrs;
  TPMS_RSA_PARMS *p = &t.publicArea.parameters.rsaDetail;
  if (storage) {
    p->symmetric.algorithm = TPM2_ALG_AES;
    p->symmetric.keyBits.aes = 128;
    p->symmetric.mode.aes = TPM2_ALG_CFB;
  } else {
    p->symmetric.algorithm = TPM2_ALG_NULL;
  }
  p->scheme.scheme = sign ? TPM2_ALG_RSASSA : TPM2_ALG_NULL;
  if (sign) p->scheme.details.rsassa.hashAlg = TPM2_ALG_SHA256;
  p->keyBits = 2048;
  return t;
}

static TPM2B_PUBLIC ecc_template(TPMA_OBJECT attrs, int ecdsa) {
  TPM2B_PUBLIC t = {0};
  t.publicArea.type = TPM2_ALG_ECC;
  t.publicArea.nameAlg = TPM2_ALG_SHA256;
  t.publicArea.objectAttributes = attrs;
  TPMS_ECC_PARMS *p = &t.publicArea.parameters.eccDetail;
  p->symmetric.algorithm = TPM2_ALG_NULL;
  p->scheme.scheme = ecdsa ? TPM2_ALG_ECDSA : TPM2_ALG_NULL;
  if (ecdsa) p->scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
  p->curveID = TPM2_ECC_NIST_P256;
  p->kdf.scheme = TPM2_ALG_NULL;
  return t;
}

static TPM2B_PUBLIC ek_template(void) {
  TPM2B_PUBLIC t = rsa_template(TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                                    TPMA_OBJECT_ADMINWITHPOLICY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT,
                                1, 0);
  t.publicArea.authPolicy.size = 32;
  memcpy(t.publicArea.authPolicy.buffer, TCG_EK_POLICY, 32);
  t.publicArea.unique.rsa.size = 256; /* TCG "L-1": 256 zero bytes */
  return t;
}

/* ---- helpers -------------------------------------------------------------- */

static ESYS_CONTEXT *open_tpm(const char *tcti_conf, TSS2_TCTI_CONTEXT **tcti) {
  ESYS_CONTEXT *ctx = NULL;
  if (Tss2_TctiLdr_Initialize(tcti_conf, tcti) != TSS2_RC_SUCCESS) {
    fprintf(stderr, "esys-bench: cannot open TCTI %s\n", tcti_conf);
    exit(1);
  }
  if (Esys_Initialize(&ctx, *tcti, NULL) != TSS2_RC_SUCCESS) {
    fprintf(stderr, "esys-bench: Esys_Initialize failed\n");
    exit(1);
  }
  return ctx;
}

static void close_tpm(ESYS_CONTEXT **ctx, TSS2_TCTI_CONTEXT **tcti) {
  Esys_Finalize(ctx);
  Tss2_TctiLdr_Finalize(tcti);
}

/* A persistent object's ESYS_TR and its public area (TR_FromTPMPublic + ReadPublic, as a boot checks its keys). */
static ESYS_TR open_persistent(ESYS_CONTEXT *ctx, TPM2_HANDLE handle, TPM2B_PUBLIC **pub) {
  ESYS_TR tr;
  CHECK(Esys_TR_FromTPMPublic(ctx, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &tr));
  TPM2B_PUBLIC *out;
  TPM2B_NAME *name, *qname;
  CHECK(Esys_ReadPublic(ctx, tr, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &out, &name, &qname));
  free(name);
  free(qname);
  if (pub) *pub = out;
  else free(out);
  return tr;
}

/* Whether something sits at a persistent handle (a cold boot finds nothing). */
static int probe(ESYS_CONTEXT *ctx, TPM2_HANDLE handle) {
  ESYS_TR tr;
  commands++;
  if (Esys_TR_FromTPMPublic(ctx, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &tr) != TSS2_RC_SUCCESS) return 0;
  Esys_TR_Close(ctx, &tr);
  return 1;
}

static ESYS_TR persist(ESYS_CONTEXT *ctx, ESYS_TR obj, TPM2_HANDLE handle) {
  ESYS_TR persistent;
  CHECK(Esys_EvictControl(ctx, ESYS_TR_RH_OWNER, obj, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, handle, &persistent));
  CHECK(Esys_FlushContext(ctx, obj));
  return persistent;
}

static ESYS_TR make_primary(ESYS_CONTEXT *ctx, TPM2B_PUBLIC tmpl, TPM2_HANDLE handle) {
  probe(ctx, handle);
  TPM2B_SENSITIVE_CREATE sens = {0};
  TPM2B_DATA outside = {0};
  TPML_PCR_SELECTION creation_pcr = {0};
  ESYS_TR obj;
  TPM2B_PUBLIC *pub;
  TPM2B_CREATION_DATA *cdata;
  TPM2B_DIGEST *chash;
  TPMT_TK_CREATION *ticket;
  CHECK(Esys_CreatePrimary(ctx, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sens, &tmpl, &outside,
                           &creation_pcr, &obj, &pub, &cdata, &chash, &ticket));
  free(pub);
  free(cdata);
  free(chash);
  free(ticket);
  return persist(ctx, obj, handle);
}

static ESYS_TR make_child(ESYS_CONTEXT *ctx, ESYS_TR srk, TPM2B_PUBLIC tmpl, const char *auth, TPM2_HANDLE handle,
                          TPM2B_PUBLIC **pub_out) {
  probe(ctx, handle);
  TPM2B_SENSITIVE_CREATE sens = {0};
  if (auth) {
    sens.sensitive.userAuth.size = strlen(auth);
    memcpy(sens.sensitive.userAuth.buffer, auth, strlen(auth));
  }
  TPM2B_DATA outside = {0};
  TPML_PCR_SELECTION creation_pcr = {0};
  TPM2B_PRIVATE *priv;
  TPM2B_PUBLIC *pub;
  TPM2B_CREATION_DATA *cdata;
  TPM2B_DIGEST *chash;
  TPMT_TK_CREATION *ticket;
  CHECK(Esys_Create(ctx, srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sens, &tmpl, &outside, &creation_pcr, &priv,
                    &pub, &cdata, &chash, &ticket));
  ESYS_TR obj;
  CHECK(Esys_Load(ctx, srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, priv, pub, &obj));
  free(priv);
  free(cdata);
  free(chash);
  free(ticket);
  if (pub_out) *pub_out = pub;
  else free(pub);
  return persist(ctx, obj, handle);
}

static void set_auth(ESYS_CONTEXT *ctx, ESYS_TR tr, const char *auth) {
  TPM2B_AUTH a = {0};
  a.size = strlen(auth);
  memcpy(a.buffer, auth, a.size);
  if (Esys_TR_SetAuth(ctx, tr, &a) != TSS2_RC_SUCCESS) {
    fprintf(stderr, "esys-bench: TR_SetAuth failed\n");
    exit(1);
  }
}

static void sign(ESYS_CONTEXT *ctx, ESYS_TR key, int i) {
  TPM2B_DIGEST digest = {.size = 32};
  memset(digest.buffer, i & 0xff, 32);
  TPMT_SIG_SCHEME scheme = {.scheme = TPM2_ALG_ECDSA, .details.ecdsa.hashAlg = TPM2_ALG_SHA256};
  TPMT_TK_HASHCHECK ticket = {.tag = TPM2_ST_HASHCHECK, .hierarchy = TPM2_RH_NULL};
  TPMT_SIGNATURE *sig;
  CHECK(Esys_Sign(ctx, key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &digest, &scheme, &ticket, &sig));
  free(sig);
}

static TPML_PCR_SELECTION selection(const char *list) {
  TPML_PCR_SELECTION sel = {.count = 1};
  sel.pcrSelections[0].hash = TPM2_ALG_SHA256;
  sel.pcrSelections[0].sizeofSelect = 3;
  char *copy = strdup(list), *save = NULL;
  for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    int pcr = atoi(tok);
    sel.pcrSelections[0].pcrSelect[pcr / 8] |= 1 << (pcr % 8);
  }
  free(copy);
  return sel;
}

/* PCR values of `sel` in index order, read 8 at a time as the TPM hands them out. */
static int read_pcrs(ESYS_CONTEXT *ctx, TPML_PCR_SELECTION sel, BYTE out[24][32]) {
  int n = 0;
  TPML_PCR_SELECTION left = sel;
  for (;;) {
    int any = 0;
    for (int b = 0; b < 3; b++) any |= left.pcrSelections[0].pcrSelect[b];
    if (!any) break;
    UINT32 counter;
    TPML_PCR_SELECTION *got;
    TPML_DIGEST *values;
    CHECK(Esys_PCR_Read(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &left, &counter, &got, &values));
    for (UINT32 i = 0; i < values->count && n < 24; i++) memcpy(out[n++], values->digests[i].buffer, 32);
    for (int b = 0; b < 3; b++) left.pcrSelections[0].pcrSelect[b] &= ~got->pcrSelections[0].pcrSelect[b];
    int empty = values->count == 0;
    free(got);
    free(values);
    if (empty) break;
  }
  return n;
}

static TPML_PCR_SELECTION all_pcrs(void) {
  return selection("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23");
}

static void nv_store(ESYS_CONTEXT *ctx, TPM2_HANDLE index, const BYTE *data, UINT16 size) {
  probe(ctx, index);
  TPM2B_AUTH auth = {0};
  TPM2B_NV_PUBLIC info = {0};
  info.nvPublic.nvIndex = index;
  info.nvPublic.nameAlg = TPM2_ALG_SHA256;
  info.nvPublic.attributes = TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD;
  info.nvPublic.dataSize = size;
  ESYS_TR tr;
  CHECK(Esys_NV_DefineSpace(ctx, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &auth, &info, &tr));
  TPM2B_MAX_NV_BUFFER buf = {.size = size};
  memcpy(buf.buffer, data, size);
  CHECK(Esys_NV_Write(ctx, ESYS_TR_RH_OWNER, tr, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &buf, 0));
  Esys_TR_Close(ctx, &tr);
}

static size_t nv_load(ESYS_CONTEXT *ctx, TPM2_HANDLE index, BYTE *out) {
  ESYS_TR tr;
  CHECK(Esys_TR_FromTPMPublic(ctx, index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &tr));
  TPM2B_NV_PUBLIC *info;
  TPM2B_NAME *name;
  CHECK(Esys_NV_ReadPublic(ctx, tr, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &info, &name));
  UINT16 size = info->nvPublic.dataSize;
  free(info);
  free(name);
  TPM2B_MAX_NV_BUFFER *data;
  CHECK(Esys_NV_Read(ctx, ESYS_TR_RH_OWNER, tr, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, size, 0, &data));
  memcpy(out, data->buffer, data->size);
  size_t n = data->size;
  free(data);
  Esys_TR_Close(ctx, &tr);
  return n;
}

static ESYS_TR salted_session(ESYS_CONTEXT *ctx, ESYS_TR ek, TPM2_SE type, TPMA_SESSION attrs) {
  TPMT_SYM_DEF sym = {.algorithm = TPM2_ALG_AES, .keyBits.aes = 128, .mode.aes = TPM2_ALG_CFB};
  ESYS_TR s;
  CHECK(Esys_StartAuthSession(ctx, ek, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, NULL, type, &sym,
                              TPM2_ALG_SHA256, &s));
  Esys_TRSess_SetAttributes(ctx, s, attrs | TPMA_SESSION_CONTINUESESSION, 0xff);
  return s;
}

/* TPM2_PolicyPCR's digest from a fresh policy, computed here as the agent does (no trial session). */
static void policy_pcr_digest(TPML_PCR_SELECTION sel, BYTE values[24][32], int n, BYTE out[32]) {
  BYTE msg[32 + 4 + sizeof(TPML_PCR_SELECTION) + 32] = {0};
  BYTE concat[24 * 32];
  for (int i = 0; i < n; i++) memcpy(concat + 32 * i, values[i], 32);
  size_t off = 36; /* the fresh policy's 32 zero bytes, then TPM_CC_PolicyPCR */
  msg[34] = 0x01;
  msg[35] = 0x7f;
  Tss2_MU_TPML_PCR_SELECTION_Marshal(&sel, msg, sizeof msg, &off);
  SHA256(concat, 32 * n, msg + off);
  SHA256(msg, off + 32, out);
}

/* A random vault key sealed under the SRK to PolicyPCR(`pcrs`), both blobs stored in NV like EVE. */
static void seal_vault_key(ESYS_CONTEXT *ctx, ESYS_TR srk, ESYS_TR ek, const char *pcrs) {
  TPM2B_DIGEST *secret;
  CHECK(Esys_GetRandom(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, 32, &secret));
  TPML_PCR_SELECTION sel = selection(pcrs);
  BYTE values[24][32];
  int n = read_pcrs(ctx, sel, values);
  TPM2B_PUBLIC tmpl = {0};
  tmpl.publicArea.type = TPM2_ALG_KEYEDHASH;
  tmpl.publicArea.nameAlg = TPM2_ALG_SHA256;
  tmpl.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_NODA;
  tmpl.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL;
  tmpl.publicArea.authPolicy.size = 32;
  policy_pcr_digest(sel, values, n, tmpl.publicArea.authPolicy.buffer);
  TPM2B_SENSITIVE_CREATE sens = {0};
  sens.sensitive.data.size = secret->size;
  memcpy(sens.sensitive.data.buffer, secret->buffer, secret->size);
  free(secret);
  TPM2B_DATA outside = {0};
  TPML_PCR_SELECTION creation_pcr = {0};
  ESYS_TR s = salted_session(ctx, ek, TPM2_SE_HMAC, TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT);
  TPM2B_PRIVATE *priv;
  TPM2B_PUBLIC *pub;
  TPM2B_CREATION_DATA *cdata;
  TPM2B_DIGEST *chash;
  TPMT_TK_CREATION *ticket;
  CHECK(Esys_Create(ctx, srk, ESYS_TR_PASSWORD, s, ESYS_TR_NONE, &sens, &tmpl, &outside, &creation_pcr, &priv, &pub,
                    &cdata, &chash, &ticket));
  CHECK(Esys_FlushContext(ctx, s));
  BYTE buf[sizeof(TPM2B_PUBLIC) + sizeof(TPM2B_PRIVATE)];
  size_t off = 0;
  Tss2_MU_TPM2B_PRIVATE_Marshal(priv, buf, sizeof buf, &off);
  nv_store(ctx, NV_SEALED_PRIV, buf, off);
  off = 0;
  Tss2_MU_TPM2B_PUBLIC_Marshal(pub, buf, sizeof buf, &off);
  nv_store(ctx, NV_SEALED_PUB, buf, off);
  free(priv);
  free(pub);
  free(cdata);
  free(chash);
  free(ticket);
}

/* NV reads, TPM2_Load, a salted policy session with PolicyPCR, TPM2_Unseal, and both flushed. */
static void unseal_vault_key(ESYS_CONTEXT *ctx, ESYS_TR srk, ESYS_TR ek, const char *pcrs) {
  BYTE buf[2048];
  TPM2B_PRIVATE priv = {0};
  TPM2B_PUBLIC pub = {0};
  size_t n = nv_load(ctx, NV_SEALED_PRIV, buf), off = 0;
  Tss2_MU_TPM2B_PRIVATE_Unmarshal(buf, n, &off, &priv);
  n = nv_load(ctx, NV_SEALED_PUB, buf);
  off = 0;
  Tss2_MU_TPM2B_PUBLIC_Unmarshal(buf, n, &off, &pub);
  ESYS_TR item;
  CHECK(Esys_Load(ctx, srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &priv, &pub, &item));
  ESYS_TR s = salted_session(ctx, ek, TPM2_SE_POLICY, 0);
  TPM2B_DIGEST empty = {0};
  TPML_PCR_SELECTION sel = selection(pcrs);
  CHECK(Esys_PolicyPCR(ctx, s, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &empty, &sel));
  Esys_TRSess_SetAttributes(ctx, s, TPMA_SESSION_ENCRYPT, TPMA_SESSION_ENCRYPT);
  TPM2B_SENSITIVE_DATA *secret;
  CHECK(Esys_Unseal(ctx, item, s, ESYS_TR_NONE, ESYS_TR_NONE, &secret));
  free(secret);
  CHECK(Esys_FlushContext(ctx, item));
  CHECK(Esys_FlushContext(ctx, s));
}

static void ecdh(ESYS_CONTEXT *ctx, ESYS_TR key, const TPM2B_PUBLIC *peer) {
  TPM2B_ECC_POINT point = {0};
  point.point = peer->publicArea.unique.ecc;
  TPM2B_ECC_POINT *z;
  CHECK(Esys_ECDH_ZGen(ctx, key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &point, &z));
  free(z);
}

static const char *quote_pcrs = "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15";
/* 16 bytes for EVE's nonce; Keylime's verifier sends 20 characters. */
static int quote_nonce_size = 16;

static void quote(ESYS_CONTEXT *ctx, ESYS_TR key, int i) {
  TPM2B_DATA nonce = {.size = quote_nonce_size};
  memset(nonce.buffer, i & 0xff, quote_nonce_size);
  TPMT_SIG_SCHEME scheme = {.scheme = TPM2_ALG_NULL};
  TPML_PCR_SELECTION sel = selection(quote_pcrs);
  TPM2B_ATTEST *attest;
  TPMT_SIGNATURE *sig;
  CHECK(Esys_Quote(ctx, key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &nonce, &scheme, &sel, &attest, &sig));
  free(attest);
  free(sig);
}

/* Attestation: all 24 PCRs (sent with the quote) and the quote over 0..15. */
static void attest(ESYS_CONTEXT *ctx, ESYS_TR quote_key) {
  BYTE values[24][32];
  read_pcrs(ctx, all_pcrs(), values);
  quote(ctx, quote_key, 1);
}

/* Handles an earlier process left behind, and the chip's identity (manufacturer, firmware). */
static void hygiene(ESYS_CONTEXT *ctx) {
  TPMI_YES_NO more;
  TPMS_CAPABILITY_DATA *cap;
  CHECK(Esys_GetCapability(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, TPM2_TRANSIENT_FIRST, 64, &more, &cap));
  free(cap);
  CHECK(Esys_GetCapability(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, TPM2_LOADED_SESSION_FIRST, 64, &more, &cap));
  free(cap);
  CHECK(Esys_GetCapability(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_TPM_PROPERTIES, TPM2_PT_MANUFACTURER, 16, &more, &cap));
  free(cap);
}

static double boot_cold(const char *tcti_conf, const char *auth, int signs) {
  double t0 = now_ms();
  TSS2_TCTI_CONTEXT *tcti;
  ESYS_CONTEXT *ctx = open_tpm(tcti_conf, &tcti);
  hygiene(ctx);
  ESYS_TR ek = make_primary(ctx, ek_template(), H_EK);
  ESYS_TR srk = make_primary(ctx, rsa_template(TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                                                   TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT |
                                                   TPMA_OBJECT_NODA,
                                               1, 0),
                             H_SRK);
  make_primary(ctx, rsa_template(SIGNING_ATTRS, 0, 1), H_AIK);
  ESYS_TR quote_key = make_primary(ctx, ecc_template(SIGNING_ATTRS, 1), H_QUOTE);
  ESYS_TR ecdh_key = make_child(ctx, srk, ecc_template(CHILD_ATTRS | TPMA_OBJECT_DECRYPT, 0), NULL, H_ECDH, NULL);
  TPM2B_PUBLIC *device_pub;
  ESYS_TR device = make_child(ctx, srk, ecc_template(CHILD_ATTRS | TPMA_OBJECT_SIGN_ENCRYPT, 0), auth, H_DEVICE, &device_pub);
  set_auth(ctx, device, auth);
  /* Self-signed device certificate, mirrored to NV; then the ECDH, attestation and EK certificates. */
  sign(ctx, device, 0);
  BYTE cert[650];
  memset(cert, 0x30, sizeof cert);
  nv_store(ctx, NV_DEVICE_CERT, cert, sizeof cert);
  for (int i = 1; i <= 3; i++) sign(ctx, device, i);
  seal_vault_key(ctx, srk, ek, DEFAULT_SEAL_PCRS);
  ecdh(ctx, ecdh_key, device_pub);
  attest(ctx, quote_key);
  for (int i = 0; i < signs; i++) sign(ctx, device, 16 + i);
  free(device_pub);
  close_tpm(&ctx, &tcti);
  return now_ms() - t0;
}

static double boot_warm(const char *tcti_conf, const char *auth, int signs) {
  double t0 = now_ms();
  TSS2_TCTI_CONTEXT *tcti;
  ESYS_CONTEXT *ctx = open_tpm(tcti_conf, &tcti);
  hygiene(ctx);
  ESYS_TR ek = open_persistent(ctx, H_EK, NULL);
  ESYS_TR srk = open_persistent(ctx, H_SRK, NULL);
  open_persistent(ctx, H_AIK, NULL);
  ESYS_TR quote_key = open_persistent(ctx, H_QUOTE, NULL);
  ESYS_TR ecdh_key = open_persistent(ctx, H_ECDH, NULL);
  TPM2B_PUBLIC *device_pub;
  ESYS_TR device = open_persistent(ctx, H_DEVICE, &device_pub);
  set_auth(ctx, device, auth);
  unseal_vault_key(ctx, srk, ek, DEFAULT_SEAL_PCRS);
  ecdh(ctx, ecdh_key, device_pub);
  attest(ctx, quote_key);
  for (int i = 0; i < signs; i++) sign(ctx, device, 16 + i);
  free(device_pub);
  close_tpm(&ctx, &tcti);
  return now_ms() - t0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int arg_int(const char *s, const char *what) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < 0 || v > 100000) {
    fprintf(stderr, "esys-bench: bad %s: %s\n", what, s);
    exit(2);
  }
  return (int)v;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: esys-bench quote|sign|unseal|boot-cold|boot-warm TCTI ...\n");
    return 2;
  }
  const char *mode = argv[1], *tcti_conf = argv[2];
  if (!strcmp(mode, "boot-cold") || !strcmp(mode, "boot-warm")) {
    if (argc != 5) return fprintf(stderr, "usage: esys-bench %s TCTI AUTH SIGNS\n", mode), 2;
    int signs = arg_int(argv[4], "SIGNS");
    double ms = !strcmp(mode, "boot-cold") ? boot_cold(tcti_conf, argv[3], signs) : boot_warm(tcti_conf, argv[3], signs);
    printf("{\"mode\":\"%s\",\"ms\":%.3f,\"commands\":%d}\n", mode, ms, commands);
    return 0;
  }
  TSS2_TCTI_CONTEXT *tcti;
  ESYS_CONTEXT *ctx;
  int n;
  double *each;
  ESYS_TR key = ESYS_TR_NONE, srk = ESYS_TR_NONE, ek = ESYS_TR_NONE;
  const char *pcrs = NULL;
  enum { QUOTE, SIGN, UNSEAL } op;
  if (!strcmp(mode, "quote") && (argc == 4 || argc == 6)) {
    op = QUOTE;
    n = arg_int(argv[3], "N");
    TPM2_HANDLE handle = H_QUOTE;
    if (argc == 6) {
      handle = (TPM2_HANDLE)strtoul(argv[4], NULL, 0);
      quote_pcrs = argv[5];
      quote_nonce_size = 20;
    }
    ctx = open_tpm(tcti_conf, &tcti);
    key = open_persistent(ctx, handle, NULL);
  } else if (!strcmp(mode, "sign") && argc == 5) {
    op = SIGN;
    n = arg_int(argv[4], "N");
    ctx = open_tpm(tcti_conf, &tcti);
    key = open_persistent(ctx, H_DEVICE, NULL);
    set_auth(ctx, key, argv[3]);
  } else if (!strcmp(mode, "unseal") && argc == 5) {
    op = UNSEAL;
    n = arg_int(argv[4], "N");
    pcrs = argv[3];
    ctx = open_tpm(tcti_conf, &tcti);
    srk = open_persistent(ctx, H_SRK, NULL);
    ek = open_persistent(ctx, H_EK, NULL);
  } else {
    fprintf(stderr, "esys-bench: bad arguments for %s\n", mode);
    return 2;
  }
  if (n < 1) return fprintf(stderr, "esys-bench: N must be at least 1\n"), 2;
  each = calloc(n, sizeof *each);
  /* One warm-up, as the agent's side gets one, then each operation timed on its own. */
  for (int i = -1; i < n; i++) {
    double t0 = now_ms();
    if (op == QUOTE) quote(ctx, key, i);
    else if (op == SIGN) sign(ctx, key, i);
    else unseal_vault_key(ctx, srk, ek, pcrs);
    if (i >= 0) each[i] = now_ms() - t0;
  }
  double sum = 0;
  for (int i = 0; i < n; i++) sum += each[i];
  qsort(each, n, sizeof *each, cmp_double);
  double mean = sum / n, med = n % 2 ? each[n / 2] : (each[n / 2 - 1] + each[n / 2]) / 2;
  free(each);
  close_tpm(&ctx, &tcti);
  printf("{\"mode\":\"%s\",\"meanMs\":%.4f,\"medianMs\":%.4f,\"n\":%d}\n", mode, mean, med, n);
  return 0;
}
