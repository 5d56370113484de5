/* test-checkpoint.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gremium-checkpoint.h"
#include "gremium-checkpoint-private.h"
#include "gremium-error.h"
#include "gremium-identity.h"
#include "gremium-log-monitor.h"
#include "gremium-merkle-tree.h"

/* The signed-note vectors of golang.org/x/mod/sumdb/note, file
 * sumdb/note/note_test.go in github.com/golang/mod (TestNewVerifier,
 * TestSign, TestOpen). The private key is Go's
 * "PRIVATE+KEY+<name>+<key id>+base64(0x01 || seed)"; Ed25519 is
 * deterministic, so signing the text with it must give Go's line exactly.
 */
#define PETER_SIGNER_KEY \
  "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define PETER_VERIFIER_KEY \
  "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define ENOCH_VERIFIER_KEY \
  "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define NEUMANN_TEXT \
  "If you think cryptography is the answer to your problem,\n" \
  "then you don't know what your problem is.\n"
#define EM_DASH "\xe2\x80\x94"
/* Peter's signature without its last two characters "M=". */
#define PETER_B64_HEAD \
  "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnA"
#define PETER_SIG EM_DASH " PeterNeumann " PETER_B64_HEAD "M=\n"
#define ENOCH_SIG \
  EM_DASH " EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+" \
  "vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

/* A real checkpoint of the Go checksum database, signed by sum.golang.org.
 * From github.com/transparency-dev/formats, file log/note_test.go
 * (TestSumDBNoteParsing); the verifier key is the one the go command pins,
 * golang/go src/cmd/go/internal/modfetch/key.go.
 */
#define SUMDB_VERIFIER_KEY "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
#define SUMDB_CHECKPOINT \
  "go.sum database tree\n" \
  "6476701\n" \
  "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n" \
  "\n" \
  EM_DASH " sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nP" \
  "RYfvimWEPWL+o3GeoWwOoAw=\n"

/* Gremium's own worked example, also in docs/transparency-log.md: the log of
 * the eight RFC 6962 reference leaves, signed by the Ed25519 key whose
 * 32-byte seed is the ASCII text below. Any implementation of the format must
 * produce these bytes; they were checked independently with Python's
 * hashlib and pyca/cryptography (OpenSSL's Ed25519).
 */
#define EXAMPLE_SEED         "Gremium transparency log example"
#define EXAMPLE_KEY_NAME     "rathaus.example"
#define EXAMPLE_ORIGIN       "rathaus.example/meeting/rat-2026-11"
#define EXAMPLE_VERIFIER_KEY "rathaus.example+477da463+ASak3u+nTKQaAl3Y6AqYO8IkD5NwVDWyMX9kDtC2rqFk"
#define EXAMPLE_ROOT_BASE64  "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
#define EXAMPLE_CHECKPOINT \
  EXAMPLE_ORIGIN "\n" \
  "8\n" \
  EXAMPLE_ROOT_BASE64 "\n" \
  "\n" \
  EM_DASH " " EXAMPLE_KEY_NAME " R32kY+27An6i7d6YXQ1MlAOIxiYLtj+xVqBsnicSpT1hvavv+tzwj4RgiYSq" \
  "GmUAq1lP0SO6DdPx7j1B2Z2Ald6hews=\n"

#define ORIGIN   "gremium.example/meeting/m1"
#define KEY_NAME "gremium.example"

static const char * const reference_leaves[] = {
  "",
  "\x00",
  "\x10",
  "\x20\x21",
  "\x30\x31",
  "\x40\x41\x42\x43",
  "\x50\x51\x52\x53\x54\x55\x56\x57",
  "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
};
static const gsize reference_leaf_sizes[] = { 0, 1, 1, 2, 2, 4, 8, 16 };

/* Decodes "<name>+<hex key id>+base64(0x01 || key)" the way the note package
 * does, so that the test can check our key id against the published one.
 */
static void
parse_verifier_key (const char *verifier_key,
                    char      **name,
                    char      **key_id_hex,
                    guint8      public_key[GREMIUM_PUBLIC_KEY_SIZE])
{
  g_auto(GStrv) parts = g_strsplit (verifier_key, "+", 3);
  guint8 typed[1 + GREMIUM_PUBLIC_KEY_SIZE];

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_true (gremium_base64_decode_exact (parts[2], typed, sizeof typed, NULL));
  g_assert_cmpint (typed[0], ==, 0x01);
  memcpy (public_key, typed + 1, GREMIUM_PUBLIC_KEY_SIZE);

  *name = g_strdup (parts[0]);
  *key_id_hex = g_strdup (parts[1]);
}

static GremiumIdentity *
example_identity (void)
{
  guint8 seed[GREMIUM_SEED_SIZE];

  G_STATIC_ASSERT (sizeof EXAMPLE_SEED - 1 == GREMIUM_SEED_SIZE);
  memcpy (seed, EXAMPLE_SEED, GREMIUM_SEED_SIZE);

  return gremium_identity_new_from_seed (seed);
}

static GremiumMerkleTree *
reference_tree (void)
{
  GremiumMerkleTree *tree = gremium_merkle_tree_new ();

  for (guint i = 0; i < G_N_ELEMENTS (reference_leaves); i++)
    gremium_merkle_tree_append (tree, (const guint8 *) reference_leaves[i],
                                reference_leaf_sizes[i]);

  return tree;
}

/* The signature line that @key adds to @text, for building notes with
 * several signatures.
 */
static char *
signature_line (const char      *text,
                const char      *key_name,
                GremiumIdentity *key)
{
  g_autofree char *note = _gremium_signed_note_sign (text, key_name, key);

  g_assert_true (g_str_has_prefix (note, text));
  g_assert_cmpint (note[strlen (text)], ==, '\n');

  return g_strdup (note + strlen (text) + 1);
}

static char *
replace_once (const char *haystack,
              const char *needle,
              const char *replacement)
{
  const char *at = strstr (haystack, needle);

  g_assert_nonnull (at);

  return g_strdup_printf ("%.*s%s%s", (int) (at - haystack), haystack, replacement,
                          at + strlen (needle));
}

static void
test_checkpoint_note_vectors (void)
{
  g_autoptr(GremiumIdentity) peter = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) signer_parts = g_strsplit (PETER_SIGNER_KEY, "+", 5);
  g_autofree char *peter_name = NULL;
  g_autofree char *peter_id_hex = NULL;
  g_autofree char *enoch_name = NULL;
  g_autofree char *enoch_id_hex = NULL;
  g_autofree char *verifier_key = NULL;
  g_autofree char *key_id_hex = NULL;
  g_autofree char *signed_note = NULL;
  g_autofree char *opened = NULL;
  guint8 typed_seed[1 + GREMIUM_SEED_SIZE];
  guint8 peter_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint8 enoch_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint8 key_id[GREMIUM_CHECKPOINT_KEY_ID_SIZE];

  /* The private key's seed gives the published public key. */
  g_assert_cmpuint (g_strv_length (signer_parts), ==, 5);
  g_assert_true (gremium_base64_decode_exact (signer_parts[4], typed_seed, sizeof typed_seed,
                                              NULL));
  g_assert_cmpint (typed_seed[0], ==, 0x01);
  peter = gremium_identity_new_from_seed (typed_seed + 1);

  parse_verifier_key (PETER_VERIFIER_KEY, &peter_name, &peter_id_hex, peter_key);
  g_assert_cmpmem (gremium_identity_get_public_key (peter), GREMIUM_PUBLIC_KEY_SIZE,
                   peter_key, sizeof peter_key);

  /* Key ids and the verifier key format. */
  gremium_checkpoint_key_id (peter_name, peter_key, key_id);
  key_id_hex = gremium_hex_encode (key_id, sizeof key_id);
  g_assert_cmpstr (key_id_hex, ==, "c74f20a3");
  g_assert_cmpstr (key_id_hex, ==, peter_id_hex);
  verifier_key = gremium_checkpoint_format_verifier_key (peter_name, peter_key);
  g_assert_cmpstr (verifier_key, ==, PETER_VERIFIER_KEY);

  parse_verifier_key (ENOCH_VERIFIER_KEY, &enoch_name, &enoch_id_hex, enoch_key);
  g_clear_pointer (&verifier_key, g_free);
  verifier_key = gremium_checkpoint_format_verifier_key (enoch_name, enoch_key);
  g_assert_cmpstr (verifier_key, ==, ENOCH_VERIFIER_KEY);

  /* Signing reproduces Go's note byte for byte. */
  signed_note = _gremium_signed_note_sign (NEUMANN_TEXT, "PeterNeumann", peter);
  g_assert_cmpstr (signed_note, ==, NEUMANN_TEXT "\n" PETER_SIG);

  /* Opening Go's two-signature note with either key gives the text; each
   * verifier ignores the other's line.
   */
  opened = _gremium_signed_note_open (NEUMANN_TEXT "\n" PETER_SIG ENOCH_SIG, -1,
                                      "PeterNeumann", peter_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, NEUMANN_TEXT);
  g_clear_pointer (&opened, g_free);

  opened = _gremium_signed_note_open (NEUMANN_TEXT "\n" PETER_SIG ENOCH_SIG, -1,
                                      "EnochRoot", enoch_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, NEUMANN_TEXT);
  g_clear_pointer (&opened, g_free);

  /* Duplicated signature lines are fine, as in TestOpen. */
  opened = _gremium_signed_note_open (NEUMANN_TEXT "\n" PETER_SIG PETER_SIG ENOCH_SIG ENOCH_SIG,
                                      -1, "PeterNeumann", peter_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, NEUMANN_TEXT);
  g_clear_pointer (&opened, g_free);

  /* Only Enoch signed: nothing from Peter. */
  opened = _gremium_signed_note_open (NEUMANN_TEXT "\n" ENOCH_SIG, -1,
                                      "PeterNeumann", peter_key, &error);
  g_assert_null (opened);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&peter));
}

static void
test_checkpoint_note_malformed (void)
{
  g_autofree char *peter_name = NULL;
  g_autofree char *peter_id_hex = NULL;
  g_autofree char *too_many = NULL;
  g_autofree char *invalid_sig = NULL;
  g_autofree char *misnamed = NULL;
  g_autofree char *wrong_id = NULL;
  g_autofree char *huge = NULL;
  guint8 peter_key[GREMIUM_PUBLIC_KEY_SIZE];
  GString *many = g_string_new (NEUMANN_TEXT "\n");
  struct {
    const char *note;
    gssize      len;
    int         code;
  } cases[] = {
    /* The malformed notes of TestOpen. */
    { NEUMANN_TEXT, -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n", -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" PETER_SIG, sizeof (NEUMANN_TEXT "\n" PETER_SIG) - 2,
      GREMIUM_ERROR_MALFORMED },
    { "\x01" NEUMANN_TEXT "\n" PETER_SIG, -1, GREMIUM_ERROR_MALFORMED },
    { "\xff" NEUMANN_TEXT "\n" PETER_SIG, -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH " Bad Name " PETER_B64_HEAD "M=",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" PETER_SIG "Unexpected line.\n", -1, GREMIUM_ERROR_MALFORMED },
    /* Further forms we refuse. */
    { "", -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" PETER_SIG, sizeof (NEUMANN_TEXT "\n" PETER_SIG) - 1 + 1,
      GREMIUM_ERROR_MALFORMED },                                   /* a NUL byte */
    { NEUMANN_TEXT "\r\n" PETER_SIG, -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" "- PeterNeumann " PETER_B64_HEAD "M=\n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH "PeterNeumann " PETER_B64_HEAD "M=\n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH "  " PETER_B64_HEAD "M=\n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH " Peter+Neumann " PETER_B64_HEAD "M=\n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH " Peter\xc2\xa0Neumann " PETER_B64_HEAD "M=\n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH " PeterNeumann " PETER_B64_HEAD "M\n",
      -1, GREMIUM_ERROR_MALFORMED },                               /* no padding */
    { NEUMANN_TEXT "\n" EM_DASH " PeterNeumann " PETER_B64_HEAD "N=\n",
      -1, GREMIUM_ERROR_MALFORMED },                               /* non-canonical */
    { NEUMANN_TEXT "\n" EM_DASH " PeterNeumann " PETER_B64_HEAD "M= \n",
      -1, GREMIUM_ERROR_MALFORMED },
    { NEUMANN_TEXT "\n" EM_DASH " PeterNeumann x08gow==\n", -1,
      GREMIUM_ERROR_MALFORMED },                                   /* a key id only */
    { NEUMANN_TEXT "\n" EM_DASH " PeterNeumann x08go/Y=\n", -1,
      GREMIUM_ERROR_BAD_SIGNATURE },                               /* too short */
    { NEUMANN_TEXT "\n" PETER_SIG "\n", -1, GREMIUM_ERROR_MALFORMED },
    { NULL, -1, GREMIUM_ERROR_MALFORMED },                         /* 101 lines */
    { NULL, -1, GREMIUM_ERROR_BAD_SIGNATURE },                     /* a bad signature */
    { NULL, -1, GREMIUM_ERROR_BAD_SIGNATURE },                     /* another name */
    { NULL, -1, GREMIUM_ERROR_BAD_SIGNATURE },                     /* another key id */
    { NULL, -1, GREMIUM_ERROR_TOO_LARGE },
  };
  guint n = G_N_ELEMENTS (cases);

  parse_verifier_key (PETER_VERIFIER_KEY, &peter_name, &peter_id_hex, peter_key);

  /* 101 copies of a valid line are refused before any is checked, as in
   * TestOpen; 100 are accepted.
   */
  for (guint i = 0; i < 100; i++)
    g_string_append (many, PETER_SIG);
  {
    g_autofree char *opened = _gremium_signed_note_open (many->str, -1, "PeterNeumann",
                                                         peter_key, NULL);
    g_assert_cmpstr (opened, ==, NEUMANN_TEXT);
  }
  g_string_append (many, PETER_SIG);
  too_many = g_string_free (many, FALSE);

  /* "Invalid signature" of TestOpen: ABCD inserted into Peter's line. */
  invalid_sig = g_strdup_printf ("%s\n%.60sABCD%s", NEUMANN_TEXT, PETER_SIG, PETER_SIG + 60);
  misnamed = replace_once (NEUMANN_TEXT "\n" PETER_SIG, "PeterNeumann", "CarmenSandiego");
  wrong_id = replace_once (NEUMANN_TEXT "\n" PETER_SIG, "x08g", "xxxx");
  huge = g_strnfill (GREMIUM_CHECKPOINT_MAX_SIZE + 1, 'a');

  cases[n - 5].note = too_many;
  cases[n - 4].note = invalid_sig;
  cases[n - 3].note = misnamed;
  cases[n - 2].note = wrong_id;
  cases[n - 1].note = huge;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *opened = _gremium_signed_note_open (cases[i].note, cases[i].len,
                                                           "PeterNeumann", peter_key, &error);
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(accepted)");
      g_assert_null (opened);
      g_assert_error (error, GREMIUM_ERROR, cases[i].code);
      g_clear_error (&error);

      /* The checkpoint parser sits on top and refuses the same. */
      checkpoint = gremium_checkpoint_parse (cases[i].note, cases[i].len, "PeterNeumann",
                                             peter_key, &error);
      g_assert_null (checkpoint);
      g_assert_error (error, GREMIUM_ERROR, cases[i].code);
    }
}

static void
test_checkpoint_sumdb (void)
{
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key_id_hex = NULL;
  g_autofree char *our_key_id_hex = NULL;
  g_autofree char *root = NULL;
  guint8 public_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint8 key_id[GREMIUM_CHECKPOINT_KEY_ID_SIZE];

  parse_verifier_key (SUMDB_VERIFIER_KEY, &name, &key_id_hex, public_key);
  gremium_checkpoint_key_id (name, public_key, key_id);
  our_key_id_hex = gremium_hex_encode (key_id, sizeof key_id);
  g_assert_cmpstr (our_key_id_hex, ==, "033de0ae");

  checkpoint = gremium_checkpoint_parse (SUMDB_CHECKPOINT, -1, name, public_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gremium_checkpoint_get_origin (checkpoint), ==, "go.sum database tree");
  g_assert_cmpuint (gremium_checkpoint_get_size (checkpoint), ==, 6476701);
  root = gremium_base64_encode (gremium_checkpoint_get_root (checkpoint), GREMIUM_HASH_SIZE);
  g_assert_cmpstr (root, ==, "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=");
  g_assert_cmpstr (gremium_checkpoint_get_text (checkpoint), ==, SUMDB_CHECKPOINT);

  g_assert_finalize_object (g_steal_pointer (&checkpoint));
}

static void
test_checkpoint_example (void)
{
  g_autoptr(GremiumIdentity) key = example_identity ();
  g_autoptr(GremiumMerkleTree) tree = reference_tree ();
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(GremiumCheckpoint) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root_text = NULL;
  g_autofree char *verifier_key = NULL;
  guint8 root[GREMIUM_HASH_SIZE];

  g_assert_true (gremium_merkle_tree_get_root (tree, 8, root));
  root_text = gremium_base64_encode (root, sizeof root);
  g_assert_cmpstr (root_text, ==, EXAMPLE_ROOT_BASE64);

  checkpoint = gremium_checkpoint_new_signed (EXAMPLE_ORIGIN, 8, root, EXAMPLE_KEY_NAME, key);
  verifier_key = gremium_checkpoint_format_verifier_key (EXAMPLE_KEY_NAME,
                                                         gremium_identity_get_public_key (key));
  g_test_message ("verifier key: %s", verifier_key);
  g_test_message ("checkpoint:\n%s", gremium_checkpoint_get_text (checkpoint));
  g_assert_cmpstr (verifier_key, ==, EXAMPLE_VERIFIER_KEY);
  g_assert_cmpstr (gremium_checkpoint_get_text (checkpoint), ==, EXAMPLE_CHECKPOINT);

  parsed = gremium_checkpoint_parse (EXAMPLE_CHECKPOINT, -1, EXAMPLE_KEY_NAME,
                                     gremium_identity_get_public_key (key), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gremium_checkpoint_get_origin (parsed), ==, EXAMPLE_ORIGIN);
  g_assert_cmpuint (gremium_checkpoint_get_size (parsed), ==, 8);
  g_assert_cmpmem (gremium_checkpoint_get_root (parsed), GREMIUM_HASH_SIZE, root, sizeof root);

  g_assert_finalize_object (g_steal_pointer (&parsed));
  g_assert_finalize_object (g_steal_pointer (&checkpoint));
}

static void
test_checkpoint_roundtrip (void)
{
  g_autoptr(GremiumIdentity) key = gremium_identity_new ();
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();
  const guint64 sizes[] = { 0, 1, 5, 10, G_GUINT64_CONSTANT (12345678901234567890) };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;
      g_autoptr(GremiumCheckpoint) parsed = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) lines = NULL;
      g_autofree char *size_line = NULL;
      g_autofree char *root_line = NULL;
      guint8 root[GREMIUM_HASH_SIZE];

      while (sizes[i] < G_MAXUINT && gremium_merkle_tree_get_size (tree) < sizes[i])
        gremium_merkle_tree_append (tree, (const guint8 *) "x", 1);
      if (!gremium_merkle_tree_get_root (tree, sizes[i], root))
        gremium_random_bytes (root, sizeof root);

      checkpoint = gremium_checkpoint_new_signed (ORIGIN, sizes[i], root, KEY_NAME, key);
      g_assert_cmpstr (gremium_checkpoint_get_origin (checkpoint), ==, ORIGIN);
      g_assert_cmpuint (gremium_checkpoint_get_size (checkpoint), ==, sizes[i]);
      g_assert_cmpmem (gremium_checkpoint_get_root (checkpoint), GREMIUM_HASH_SIZE,
                       root, sizeof root);

      /* Three lines, a blank line, one signature line. */
      lines = g_strsplit (gremium_checkpoint_get_text (checkpoint), "\n", -1);
      size_line = g_strdup_printf ("%" G_GUINT64_FORMAT, sizes[i]);
      root_line = gremium_base64_encode (root, sizeof root);
      g_assert_cmpuint (g_strv_length (lines), ==, 6);
      g_assert_cmpstr (lines[0], ==, ORIGIN);
      g_assert_cmpstr (lines[1], ==, size_line);
      g_assert_cmpstr (lines[2], ==, root_line);
      g_assert_cmpstr (lines[3], ==, "");
      g_assert_true (g_str_has_prefix (lines[4], "\xe2\x80\x94 " KEY_NAME " "));
      g_assert_cmpuint (strlen (lines[4]), ==, 4 + strlen (KEY_NAME) + 1 + 92);
      g_assert_cmpstr (lines[5], ==, "");

      parsed = gremium_checkpoint_parse (gremium_checkpoint_get_text (checkpoint), -1, KEY_NAME,
                                         gremium_identity_get_public_key (key), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (gremium_checkpoint_get_origin (parsed), ==, ORIGIN);
      g_assert_cmpuint (gremium_checkpoint_get_size (parsed), ==, sizes[i]);
      g_assert_cmpmem (gremium_checkpoint_get_root (parsed), GREMIUM_HASH_SIZE,
                       root, sizeof root);
      g_assert_cmpstr (gremium_checkpoint_get_text (parsed), ==,
                       gremium_checkpoint_get_text (checkpoint));

      g_assert_finalize_object (g_steal_pointer (&parsed));
      g_assert_finalize_object (g_steal_pointer (&checkpoint));
    }

  /* Extension lines are signed and allowed; Gremium writes none. */
  {
    g_autofree char *note = _gremium_signed_note_sign (ORIGIN "\n3\n" EXAMPLE_ROOT_BASE64 "\n"
                                                       "an extension\n",
                                                       KEY_NAME, key);
    g_autoptr(GremiumCheckpoint) parsed = NULL;
    g_autoptr(GError) error = NULL;

    parsed = gremium_checkpoint_parse (note, -1, KEY_NAME, gremium_identity_get_public_key (key),
                                       &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gremium_checkpoint_get_size (parsed), ==, 3);
    g_assert_cmpstr (gremium_checkpoint_get_text (parsed), ==, note);
  }

  g_assert_true (gremium_checkpoint_key_name_is_valid ("gremium.example"));
  g_assert_false (gremium_checkpoint_key_name_is_valid (NULL));
  g_assert_false (gremium_checkpoint_key_name_is_valid (""));
  g_assert_false (gremium_checkpoint_key_name_is_valid ("a b"));
  g_assert_false (gremium_checkpoint_key_name_is_valid ("a+b"));
  g_assert_false (gremium_checkpoint_key_name_is_valid ("a\nb"));
  g_assert_false (gremium_checkpoint_key_name_is_valid ("a\xe2\x80\x83" "b"));  /* EM SPACE */
}

static void
test_checkpoint_malformed_body (void)
{
  static const char * const bodies[] = {
    ORIGIN "\n05\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n+5\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n-1\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n 5\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n5 \n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n0x5\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n18446744073709551616\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n99999999999999999999999\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\nfive\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",   /* non-canonical */
    ORIGIN "\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",    /* no padding */
    ORIGIN "\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",   /* 31 bytes */
    ORIGIN "\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=AA==\n",
    ORIGIN "\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",   /* URL alphabet */
    ORIGIN "\n5\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n",
    ORIGIN "\n5\n",
    ORIGIN "\n",
    "\n5\n" EXAMPLE_ROOT_BASE64 "\n",
    ORIGIN "\n5\n" EXAMPLE_ROOT_BASE64 "\n\nextension after a blank line\n",
  };
  g_autoptr(GremiumIdentity) key = gremium_identity_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      /* Properly signed, so only the body can be at fault. */
      g_autofree char *note = _gremium_signed_note_sign (bodies[i], KEY_NAME, key);
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;
      g_autoptr(GError) error = NULL;

      checkpoint = gremium_checkpoint_parse (note, -1, KEY_NAME,
                                             gremium_identity_get_public_key (key), &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(accepted)");
      g_assert_null (checkpoint);
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED);
    }

  /* The largest size is fine. */
  {
    g_autofree char *note = _gremium_signed_note_sign (ORIGIN "\n18446744073709551615\n"
                                                       EXAMPLE_ROOT_BASE64 "\n", KEY_NAME, key);
    g_autoptr(GremiumCheckpoint) checkpoint = NULL;
    g_autoptr(GError) error = NULL;

    checkpoint = gremium_checkpoint_parse (note, -1, KEY_NAME,
                                           gremium_identity_get_public_key (key), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gremium_checkpoint_get_size (checkpoint), ==, G_MAXUINT64);
  }
}

static void
test_checkpoint_other_keys (void)
{
  g_autoptr(GremiumIdentity) server = gremium_identity_new ();
  g_autoptr(GremiumIdentity) witness = gremium_identity_new ();
  g_autoptr(GremiumIdentity) impostor = gremium_identity_new ();
  g_autoptr(GremiumIdentity) stranger = gremium_identity_new ();
  const char *text = ORIGIN "\n4\n" EXAMPLE_ROOT_BASE64 "\n";
  g_autofree char *server_line = signature_line (text, KEY_NAME, server);
  g_autofree char *witness_line = signature_line (text, "witness.example", witness);
  g_autofree char *impostor_line = signature_line (text, KEY_NAME, impostor);
  g_autofree char *wrong_text_line = signature_line (ORIGIN "\n5\n" EXAMPLE_ROOT_BASE64 "\n",
                                                     KEY_NAME, server);
  const guint8 *server_key = gremium_identity_get_public_key (server);
  struct {
    const char *first;
    const char *second;
    int         code;                    /* 0: accepted */
  } cases[] = {
    { witness_line, server_line, 0 },    /* a cosignature before ours is ignored */
    { server_line, witness_line, 0 },
    { impostor_line, server_line, 0 },   /* our name with another key id: not ours */
    { witness_line, impostor_line, GREMIUM_ERROR_BAD_SIGNATURE },  /* ours is missing */
    { witness_line, NULL, GREMIUM_ERROR_BAD_SIGNATURE },
    { server_line, wrong_text_line, GREMIUM_ERROR_BAD_SIGNATURE }, /* ours, but it fails */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *note = g_strconcat (text, "\n", cases[i].first, cases[i].second, NULL);
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;
      g_autoptr(GError) error = NULL;

      checkpoint = gremium_checkpoint_parse (note, -1, KEY_NAME, server_key, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(accepted)");
      if (cases[i].code == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (gremium_checkpoint_get_size (checkpoint), ==, 4);
          g_assert_cmpstr (gremium_checkpoint_get_text (checkpoint), ==, note);
        }
      else
        {
          g_assert_null (checkpoint);
          g_assert_error (error, GREMIUM_ERROR, cases[i].code);
        }
    }

  /* The witness's own verifier reads the same note. */
  {
    g_autofree char *note = g_strconcat (text, "\n", server_line, witness_line, NULL);
    g_autoptr(GremiumCheckpoint) checkpoint = NULL;
    g_autoptr(GError) error = NULL;

    checkpoint = gremium_checkpoint_parse (note, -1, "witness.example",
                                           gremium_identity_get_public_key (witness), &error);
    g_assert_no_error (error);

    /* And a stranger's key finds nothing it knows. */
    g_clear_object (&checkpoint);
    checkpoint = gremium_checkpoint_parse (note, -1, "stranger.example",
                                           gremium_identity_get_public_key (stranger), &error);
    g_assert_null (checkpoint);
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
  }
}

static void
test_checkpoint_tampered (void)
{
  g_autoptr(GremiumIdentity) key = example_identity ();
  g_autoptr(GremiumIdentity) other = gremium_identity_new ();
  const guint8 *public_key = gremium_identity_get_public_key (key);
  const struct {
    const char *from;
    const char *to;
  } edits[] = {
    { "\n8\n", "\n9\n" },
    { "\n8\n", "\n80\n" },
    { EXAMPLE_ROOT_BASE64, "YcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=" },
    { "rat-2026-11", "rat-2026-12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *tampered = replace_once (EXAMPLE_CHECKPOINT, edits[i].from, edits[i].to);
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;
      g_autoptr(GError) error = NULL;

      checkpoint = gremium_checkpoint_parse (tampered, -1, EXAMPLE_KEY_NAME, public_key, &error);
      g_assert_null (checkpoint);
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
    }

  /* The genuine note under the wrong key, or a key name the note lacks. */
  {
    g_autoptr(GremiumCheckpoint) checkpoint = NULL;
    g_autoptr(GError) error = NULL;

    checkpoint = gremium_checkpoint_parse (EXAMPLE_CHECKPOINT, -1, EXAMPLE_KEY_NAME,
                                           gremium_identity_get_public_key (other), &error);
    g_assert_null (checkpoint);
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);

    checkpoint = gremium_checkpoint_parse (EXAMPLE_CHECKPOINT, -1, "other.example", public_key,
                                           &error);
    g_assert_null (checkpoint);
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);

    checkpoint = gremium_checkpoint_parse (EXAMPLE_CHECKPOINT, -1, EXAMPLE_KEY_NAME, public_key,
                                           &error);
    g_assert_no_error (error);
  }
}

/* The log monitor. A fixture holds the server's key and two logs that agree
 * on their first five entries and then differ: the honest log and a fork.
 */
typedef struct
{
  GremiumIdentity   *server;
  GremiumMerkleTree *honest;
  GremiumMerkleTree *forked;
  char              *dir;
  char              *state_path;

  guint              n_forks;
  GremiumCheckpoint *fork_kept;
  char              *fork_offending;
} MonitorFixture;

#define LOG_SIZE 40

static void
monitor_setup (MonitorFixture *fixture,
               gconstpointer   user_data)
{
  fixture->server = gremium_identity_new ();
  fixture->honest = gremium_merkle_tree_new ();
  fixture->forked = gremium_merkle_tree_new ();

  for (guint i = 0; i < LOG_SIZE; i++)
    {
      g_autofree char *entry = g_strdup_printf ("statement %u", i);
      g_autofree char *other = g_strdup_printf ("statement %u, rewritten", i);

      gremium_merkle_tree_append (fixture->honest, (const guint8 *) entry, strlen (entry));
      if (i < 5)
        gremium_merkle_tree_append (fixture->forked, (const guint8 *) entry, strlen (entry));
      else
        gremium_merkle_tree_append (fixture->forked, (const guint8 *) other, strlen (other));
    }

  fixture->dir = g_dir_make_tmp ("gremium-monitor-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->state_path = g_build_filename (fixture->dir, "logs", "m1.json", NULL);
}

static void
monitor_teardown (MonitorFixture *fixture,
                  gconstpointer   user_data)
{
  g_autofree char *logs = g_build_filename (fixture->dir, "logs", NULL);

  g_unlink (fixture->state_path);
  g_rmdir (logs);
  g_rmdir (fixture->dir);

  g_clear_object (&fixture->fork_kept);
  g_clear_pointer (&fixture->fork_offending, g_free);
  g_clear_pointer (&fixture->state_path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
  g_assert_finalize_object (g_steal_pointer (&fixture->honest));
  g_assert_finalize_object (g_steal_pointer (&fixture->forked));
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

static void
fork_detected_cb (GremiumLogMonitor *monitor,
                  GremiumCheckpoint *kept,
                  const char        *offending,
                  MonitorFixture    *fixture)
{
  g_assert_true (GREMIUM_IS_CHECKPOINT (kept));
  g_assert_nonnull (offending);

  fixture->n_forks++;
  g_set_object (&fixture->fork_kept, kept);
  g_free (fixture->fork_offending);
  fixture->fork_offending = g_strdup (offending);
}

static GremiumLogMonitor *
monitor_new (MonitorFixture *fixture,
             const char     *state_path)
{
  const guint8 *public_key = gremium_identity_get_public_key (fixture->server);
  GremiumLogMonitor *monitor = gremium_log_monitor_new (ORIGIN, KEY_NAME, public_key, state_path);

  g_signal_connect (monitor, "fork-detected", G_CALLBACK (fork_detected_cb), fixture);
  return monitor;
}

static char *
checkpoint_text (MonitorFixture    *fixture,
                 GremiumMerkleTree *tree,
                 guint64            size)
{
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  guint8 root[GREMIUM_HASH_SIZE];

  g_assert_true (gremium_merkle_tree_get_root (tree, size, root));
  checkpoint = gremium_checkpoint_new_signed (ORIGIN, size, root, KEY_NAME, fixture->server);

  return g_strdup (gremium_checkpoint_get_text (checkpoint));
}

static GBytes *
consistency (GremiumMerkleTree *tree,
             guint64            old_size,
             guint64            new_size)
{
  g_autoptr(GError) error = NULL;
  GBytes *proof = gremium_merkle_tree_prove_consistency (tree, old_size, new_size, &error);

  g_assert_no_error (error);
  return proof;
}

/* @text as a JSON string literal, the way the state file spells it. */
static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static void
assert_latest_size (GremiumLogMonitor *monitor,
                    guint64            size)
{
  GremiumCheckpoint *latest = gremium_log_monitor_get_latest (monitor);

  g_assert_nonnull (latest);
  g_assert_cmpuint (gremium_checkpoint_get_size (latest), ==, size);
}

static void
test_monitor_growth (MonitorFixture *fixture,
                     gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, NULL);
  const guint64 sizes[] = { 0, 1, 2, 3, 7, 8, 8, 13, 16, 31, LOG_SIZE };
  g_autoptr(GError) error = NULL;

  g_assert_true (gremium_log_monitor_load (monitor, &error));
  g_assert_no_error (error);
  g_assert_null (gremium_log_monitor_get_latest (monitor));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *text = checkpoint_text (fixture, fixture->honest, sizes[i]);
      g_autoptr(GBytes) proof = i == 0 ? NULL : consistency (fixture->honest, sizes[i - 1],
                                                             sizes[i]);

      g_assert_true (gremium_log_monitor_update (monitor, text, proof, &error));
      g_assert_no_error (error);
      assert_latest_size (monitor, sizes[i]);

      /* Every entry is provably in the latest checkpoint. */
      for (guint64 index = 0; index < sizes[i]; index++)
        {
          g_autoptr(GBytes) inclusion = NULL;
          guint8 leaf[GREMIUM_HASH_SIZE];

          inclusion = gremium_merkle_tree_prove_inclusion (fixture->honest, index, sizes[i],
                                                           &error);
          g_assert_no_error (error);
          g_assert_true (gremium_merkle_tree_get_leaf_hash (fixture->honest, index, leaf));
          g_assert_true (gremium_log_monitor_check_inclusion (monitor, leaf, index, inclusion,
                                                              &error));
          g_assert_no_error (error);

          /* The forked log's entry with the same index is not. */
          g_assert_true (gremium_merkle_tree_get_leaf_hash (fixture->forked, index, leaf));
          if (index >= 5)
            {
              g_assert_false (gremium_log_monitor_check_inclusion (monitor, leaf, index,
                                                                   inclusion, &error));
              g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
              g_clear_error (&error);
            }
        }
    }

  g_assert_cmpuint (fixture->n_forks, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_monitor_first_checkpoint (MonitorFixture *fixture,
                               gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, NULL);
  g_autofree char *text = checkpoint_text (fixture, fixture->honest, 9);
  g_autoptr(GBytes) proof = consistency (fixture->honest, 3, 9);
  g_autoptr(GError) error = NULL;
  guint8 leaf[GREMIUM_HASH_SIZE] = { 0 };

  /* Before any checkpoint nothing can be proven included. */
  g_assert_false (gremium_log_monitor_check_inclusion (monitor, leaf, 0, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* A proof with no kept checkpoint to check it against is refused. */
  g_assert_false (gremium_log_monitor_update (monitor, text, proof, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (gremium_log_monitor_get_latest (monitor));

  g_assert_true (gremium_log_monitor_update (monitor, text, NULL, &error));
  g_assert_no_error (error);
  assert_latest_size (monitor, 9);
  g_assert_cmpstr (gremium_checkpoint_get_text (gremium_log_monitor_get_latest (monitor)), ==,
                   text);

  g_assert_cmpuint (fixture->n_forks, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_monitor_fork (MonitorFixture *fixture,
                   gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, NULL);
  g_autofree char *honest8 = checkpoint_text (fixture, fixture->honest, 8);
  g_autofree char *forked8 = checkpoint_text (fixture, fixture->forked, 8);
  g_autofree char *forked12 = checkpoint_text (fixture, fixture->forked, 12);
  g_autofree char *honest12 = checkpoint_text (fixture, fixture->honest, 12);
  g_autoptr(GBytes) forked_proof = consistency (fixture->forked, 8, 12);
  g_autoptr(GBytes) honest_proof = consistency (fixture->honest, 8, 12);
  g_autoptr(GError) error = NULL;

  g_assert_true (gremium_log_monitor_update (monitor, honest8, NULL, &error));
  g_assert_no_error (error);

  /* Same size, another root. */
  g_assert_false (gremium_log_monitor_update (monitor, forked8, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_assert_nonnull (strstr (error->message, "forked"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_cmpuint (fixture->n_forks, ==, 1);
  g_assert_true (fixture->fork_kept == gremium_log_monitor_get_latest (monitor));
  g_assert_cmpstr (gremium_checkpoint_get_text (fixture->fork_kept), ==, honest8);
  g_assert_cmpstr (fixture->fork_offending, ==, forked8);
  g_assert_cmpstr (gremium_checkpoint_get_text (gremium_log_monitor_get_latest (monitor)), ==,
                   honest8);

  /* A larger forked checkpoint with the fork's own, internally valid proof. */
  g_assert_false (gremium_log_monitor_update (monitor, forked12, forked_proof, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_assert_nonnull (strstr (error->message, "forked"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_forks, ==, 2);
  g_assert_cmpstr (fixture->fork_offending, ==, forked12);
  assert_latest_size (monitor, 8);

  /* Nor does the honest proof rescue the forked checkpoint. */
  g_assert_false (gremium_log_monitor_update (monitor, forked12, honest_proof, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_forks, ==, 3);

  /* The honest log still goes on. */
  g_assert_true (gremium_log_monitor_update (monitor, honest12, honest_proof, &error));
  g_assert_no_error (error);
  assert_latest_size (monitor, 12);
  g_assert_cmpuint (fixture->n_forks, ==, 3);

  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_monitor_rollback (MonitorFixture *fixture,
                       gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, NULL);
  g_autofree char *honest5 = checkpoint_text (fixture, fixture->honest, 5);
  g_autofree char *honest9 = checkpoint_text (fixture, fixture->honest, 9);
  g_autofree char *empty = checkpoint_text (fixture, fixture->honest, 0);
  g_autoptr(GBytes) proof = consistency (fixture->honest, 5, 9);
  g_autoptr(GError) error = NULL;

  g_assert_true (gremium_log_monitor_update (monitor, honest5, NULL, &error));
  g_assert_true (gremium_log_monitor_update (monitor, honest9, proof, &error));
  g_assert_no_error (error);

  /* An older, genuine checkpoint of the same log is still a rollback. */
  g_assert_false (gremium_log_monitor_update (monitor, honest5, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_assert_nonnull (strstr (error->message, "rolled back"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_forks, ==, 1);
  g_assert_cmpstr (fixture->fork_offending, ==, honest5);
  g_assert_cmpstr (gremium_checkpoint_get_text (fixture->fork_kept), ==, honest9);

  g_assert_false (gremium_log_monitor_update (monitor, empty, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_forks, ==, 2);

  assert_latest_size (monitor, 9);
  g_assert_cmpstr (gremium_checkpoint_get_text (gremium_log_monitor_get_latest (monitor)), ==,
                   honest9);

  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_monitor_bad_proof (MonitorFixture *fixture,
                        gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, NULL);
  g_autoptr(GremiumIdentity) mallory = gremium_identity_new ();
  g_autofree char *honest6 = checkpoint_text (fixture, fixture->honest, 6);
  g_autofree char *honest11 = checkpoint_text (fixture, fixture->honest, 11);
  g_autoptr(GBytes) proof = consistency (fixture->honest, 6, 11);
  g_autoptr(GBytes) wrong_sizes = consistency (fixture->honest, 7, 11);
  g_autoptr(GBytes) odd = g_bytes_new_static ("short", 5);
  g_autoptr(GError) error = NULL;
  gsize len = g_bytes_get_size (proof);

  g_assert_true (gremium_log_monitor_update (monitor, honest6, NULL, &error));
  g_assert_no_error (error);

  /* Each flipped byte, a truncated proof, a proof for other sizes and a
   * proof that is not whole hashes: the log fails to prove what it signed.
   */
  for (gsize b = 0; b < len; b += 7)
    {
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (proof, NULL), len);
      g_autoptr(GBytes) flipped = NULL;

      copy[b] ^= 0x04;
      flipped = g_bytes_new (copy, len);
      g_assert_false (gremium_log_monitor_update (monitor, honest11, flipped, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
      g_clear_error (&error);
    }
  {
    g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (proof, 0, len - GREMIUM_HASH_SIZE);

    g_assert_false (gremium_log_monitor_update (monitor, honest11, truncated, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
  g_assert_false (gremium_log_monitor_update (monitor, honest11, wrong_sizes, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_false (gremium_log_monitor_update (monitor, honest11, odd, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);

  g_assert_cmpuint (fixture->n_forks, ==, (len + 6) / 7 + 3);
  g_assert_cmpstr (fixture->fork_offending, ==, honest11);
  assert_latest_size (monitor, 6);

  /* Mistakes of the caller or of the transport are errors, not forks: a
   * missing proof, a proof between equal sizes, an unsigned or foreign
   * checkpoint.
   */
  fixture->n_forks = 0;

  g_assert_false (gremium_log_monitor_update (monitor, honest11, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_log_monitor_update (monitor, honest6, proof, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  {
    g_autoptr(GremiumCheckpoint) forged = NULL;
    g_autoptr(GremiumCheckpoint) elsewhere = NULL;
    guint8 root[GREMIUM_HASH_SIZE];

    g_assert_true (gremium_merkle_tree_get_root (fixture->honest, 11, root));
    forged = gremium_checkpoint_new_signed (ORIGIN, 11, root, KEY_NAME, mallory);
    g_assert_false (gremium_log_monitor_update (monitor, gremium_checkpoint_get_text (forged),
                                                proof, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
    g_test_message ("%s", error->message);
    g_clear_error (&error);

    elsewhere = gremium_checkpoint_new_signed (KEY_NAME "/meeting/m2", 11, root, KEY_NAME,
                                               fixture->server);
    g_assert_false (gremium_log_monitor_update (monitor, gremium_checkpoint_get_text (elsewhere),
                                                proof, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    g_clear_error (&error);
  }

  g_assert_false (gremium_log_monitor_update (monitor, "not a checkpoint", NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_cmpuint (fixture->n_forks, ==, 0);
  assert_latest_size (monitor, 6);

  /* The right proof still works after all that. */
  g_assert_true (gremium_log_monitor_update (monitor, honest11, proof, &error));
  g_assert_no_error (error);
  assert_latest_size (monitor, 11);

  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_monitor_persistence (MonitorFixture *fixture,
                          gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) first = monitor_new (fixture, fixture->state_path);
  g_autoptr(GremiumLogMonitor) second = NULL;
  g_autoptr(GremiumLogMonitor) third = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *honest5 = checkpoint_text (fixture, fixture->honest, 5);
  g_autofree char *honest9 = checkpoint_text (fixture, fixture->honest, 9);
  g_autofree char *honest14 = checkpoint_text (fixture, fixture->honest, 14);
  g_autofree char *forked9 = checkpoint_text (fixture, fixture->forked, 9);
  g_autofree char *saved = NULL;
  g_autofree char *saved_after = NULL;
  GStatBuf st;

  /* No file yet: nothing to load, and nothing is written until a checkpoint
   * is accepted.
   */
  g_assert_true (gremium_log_monitor_load (first, &error));
  g_assert_no_error (error);
  g_assert_null (gremium_log_monitor_get_latest (first));
  g_assert_false (g_file_test (fixture->state_path, G_FILE_TEST_EXISTS));

  g_assert_true (gremium_log_monitor_update (first, honest5, NULL, &error));
  proof = consistency (fixture->honest, 5, 9);
  g_assert_true (gremium_log_monitor_update (first, honest9, proof, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (fixture->state_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (fixture->state_path, &saved, NULL, NULL));
  g_test_message ("state file: %s", saved);
  g_assert_true (g_str_has_prefix (saved, "{\"format\":\"gremium-log-monitor\",\"version\":1,"));

  /* A rejected checkpoint leaves the file as it was. */
  g_assert_false (gremium_log_monitor_update (first, forked9, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (fixture->state_path, &saved_after, NULL, NULL));
  g_assert_cmpstr (saved_after, ==, saved);
  g_assert_finalize_object (g_steal_pointer (&first));

  /* A new monitor, as after a restart, remembers size 9 and so still
   * notices the fork and a rollback.
   */
  fixture->n_forks = 0;
  second = monitor_new (fixture, fixture->state_path);
  g_assert_true (gremium_log_monitor_load (second, &error));
  g_assert_no_error (error);
  assert_latest_size (second, 9);
  g_assert_cmpstr (gremium_checkpoint_get_text (gremium_log_monitor_get_latest (second)), ==,
                   honest9);

  g_assert_false (gremium_log_monitor_update (second, forked9, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_false (gremium_log_monitor_update (second, honest5, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_forks, ==, 2);

  g_clear_pointer (&proof, g_bytes_unref);
  proof = consistency (fixture->honest, 9, 14);
  g_assert_true (gremium_log_monitor_update (second, honest14, proof, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&second));

  third = monitor_new (fixture, fixture->state_path);
  g_assert_true (gremium_log_monitor_load (third, &error));
  g_assert_no_error (error);
  assert_latest_size (third, 14);
  g_assert_finalize_object (g_steal_pointer (&third));
}

static void
test_monitor_tampered_state (MonitorFixture *fixture,
                             gconstpointer   user_data)
{
  g_autoptr(GremiumLogMonitor) writer = monitor_new (fixture, fixture->state_path);
  g_autoptr(GremiumIdentity) mallory = gremium_identity_new ();
  g_autoptr(GremiumCheckpoint) forged = NULL;
  g_autoptr(GremiumCheckpoint) elsewhere = NULL;
  g_autoptr(GBytes) proof = consistency (fixture->honest, 5, 9);
  g_autoptr(GError) error = NULL;
  g_autofree char *honest5 = checkpoint_text (fixture, fixture->honest, 5);
  g_autofree char *honest9 = checkpoint_text (fixture, fixture->honest, 9);
  g_autofree char *saved = NULL;
  g_autofree char *forged_json = NULL;
  g_autofree char *elsewhere_json = NULL;
  g_autofree char *honest9_json = NULL;
  guint8 root[GREMIUM_HASH_SIZE];
  const int expected_codes[] = { GREMIUM_ERROR_BAD_SIGNATURE, GREMIUM_ERROR_INVALID_FIELD };
  struct {
    const char *from;
    const char *to;
    int         code;
  } edits[] = {
    { "\\n9\\n", "\\n5\\n", GREMIUM_ERROR_BAD_SIGNATURE },        /* rolled back by hand */
    { "\\n9\\n", "\\n90\\n", GREMIUM_ERROR_BAD_SIGNATURE },
    { "meeting/m1\\n", "meeting/m2\\n", GREMIUM_ERROR_BAD_SIGNATURE },
    { "\"origin\":\"" ORIGIN "\"", "\"origin\":\"" KEY_NAME "/meeting/m2\"",
      GREMIUM_ERROR_INVALID_FIELD },
    { "\"verifier-key\":\"" KEY_NAME "+", "\"verifier-key\":\"other.example+",
      GREMIUM_ERROR_SERVER_KEY_CHANGED },
    { "\"version\":1", "\"version\":2", GREMIUM_ERROR_UNSUPPORTED_VERSION },
    { "\"format\":\"gremium-log-monitor\"", "\"format\":\"something-else\"",
      GREMIUM_ERROR_MALFORMED },
    { "\"version\":1,", "\"version\":1,\"extra\":true,", GREMIUM_ERROR_INVALID_FIELD },
    { "\"version\":1,", "\"version\":1,\"version\":1,", GREMIUM_ERROR_MALFORMED },
    { "\"checkpoint\":\"", "\"checkpoint\":\"x", GREMIUM_ERROR_BAD_SIGNATURE },
    { "=\\n\"}", "=\"}", GREMIUM_ERROR_MALFORMED },                  /* no final newline */
    { "{", "[", GREMIUM_ERROR_MALFORMED },
  };

  g_assert_true (gremium_log_monitor_update (writer, honest5, NULL, &error));
  g_assert_true (gremium_log_monitor_update (writer, honest9, proof, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&writer));
  g_assert_true (g_file_get_contents (fixture->state_path, &saved, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr(GremiumLogMonitor) reader = monitor_new (fixture, fixture->state_path);
      g_autofree char *tampered = replace_once (saved, edits[i].from, edits[i].to);

      g_assert_true (g_file_set_contents (fixture->state_path, tampered, -1, NULL));
      g_assert_false (gremium_log_monitor_load (reader, &error));
      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, GREMIUM_ERROR, edits[i].code);
      g_clear_error (&error);
      g_assert_null (gremium_log_monitor_get_latest (reader));
      g_assert_finalize_object (g_steal_pointer (&reader));
    }

  /* A checkpoint re-signed with another key under the server's name, and a
   * genuine checkpoint of another meeting, swapped into the file.
   */
  g_assert_true (gremium_merkle_tree_get_root (fixture->honest, 20, root));
  forged = gremium_checkpoint_new_signed (ORIGIN, 20, root, KEY_NAME, mallory);
  elsewhere = gremium_checkpoint_new_signed (KEY_NAME "/meeting/m2", 20, root, KEY_NAME,
                                             fixture->server);
  forged_json = json_string (gremium_checkpoint_get_text (forged));
  elsewhere_json = json_string (gremium_checkpoint_get_text (elsewhere));
  honest9_json = json_string (honest9);

  for (guint i = 0; i < G_N_ELEMENTS (expected_codes); i++)
    {
      g_autoptr(GremiumLogMonitor) reader = monitor_new (fixture, fixture->state_path);
      g_autofree char *tampered = replace_once (saved, honest9_json,
                                                i == 0 ? forged_json : elsewhere_json);

      g_assert_true (g_file_set_contents (fixture->state_path, tampered, -1, NULL));
      g_assert_false (gremium_log_monitor_load (reader, &error));
      g_test_message ("swapped %u: %s", i, error->message);
      g_assert_error (error, GREMIUM_ERROR, expected_codes[i]);
      g_clear_error (&error);
      g_assert_null (gremium_log_monitor_get_latest (reader));
      g_assert_finalize_object (g_steal_pointer (&reader));
    }

  /* A monitor that pins another key refuses the file outright. */
  {
    g_autoptr(GremiumLogMonitor) reader = NULL;

    g_assert_true (g_file_set_contents (fixture->state_path, saved, -1, NULL));
    reader = gremium_log_monitor_new (ORIGIN, KEY_NAME, gremium_identity_get_public_key (mallory),
                                      fixture->state_path);
    g_assert_false (gremium_log_monitor_load (reader, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_SERVER_KEY_CHANGED);
    g_clear_error (&error);
    g_assert_finalize_object (g_steal_pointer (&reader));
  }

  /* The untouched file still loads. */
  {
    g_autoptr(GremiumLogMonitor) reader = monitor_new (fixture, fixture->state_path);

    g_assert_true (gremium_log_monitor_load (reader, &error));
    g_assert_no_error (error);
    assert_latest_size (reader, 9);
    g_assert_finalize_object (g_steal_pointer (&reader));
  }
}

static void
test_monitor_storage_failure (MonitorFixture *fixture,
                              gconstpointer   user_data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "logs", NULL);
  g_autoptr(GremiumLogMonitor) monitor = monitor_new (fixture, fixture->state_path);
  g_autofree char *honest5 = checkpoint_text (fixture, fixture->honest, 5);
  g_autoptr(GError) error = NULL;

  /* A plain file where the state's folder should be: saving fails, and the
   * monitor does not take a checkpoint it could not keep.
   */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  g_assert_false (gremium_log_monitor_update (monitor, honest5, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (gremium_log_monitor_get_latest (monitor));

  g_unlink (blocker);
  g_assert_true (gremium_log_monitor_update (monitor, honest5, NULL, &error));
  g_assert_no_error (error);
  assert_latest_size (monitor, 5);

  g_assert_finalize_object (g_steal_pointer (&monitor));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Gremium/Checkpoint/note-vectors", test_checkpoint_note_vectors);
  g_test_add_func ("/Gremium/Checkpoint/note-malformed", test_checkpoint_note_malformed);
  g_test_add_func ("/Gremium/Checkpoint/sumdb", test_checkpoint_sumdb);
  g_test_add_func ("/Gremium/Checkpoint/example", test_checkpoint_example);
  g_test_add_func ("/Gremium/Checkpoint/roundtrip", test_checkpoint_roundtrip);
  g_test_add_func ("/Gremium/Checkpoint/malformed-body", test_checkpoint_malformed_body);
  g_test_add_func ("/Gremium/Checkpoint/other-keys", test_checkpoint_other_keys);
  g_test_add_func ("/Gremium/Checkpoint/tampered", test_checkpoint_tampered);

  g_test_add ("/Gremium/LogMonitor/growth", MonitorFixture, NULL,
              monitor_setup, test_monitor_growth, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/first-checkpoint", MonitorFixture, NULL,
              monitor_setup, test_monitor_first_checkpoint, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/fork", MonitorFixture, NULL,
              monitor_setup, test_monitor_fork, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/rollback", MonitorFixture, NULL,
              monitor_setup, test_monitor_rollback, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/bad-proof", MonitorFixture, NULL,
              monitor_setup, test_monitor_bad_proof, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/persistence", MonitorFixture, NULL,
              monitor_setup, test_monitor_persistence, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/tampered-state", MonitorFixture, NULL,
              monitor_setup, test_monitor_tampered_state, monitor_teardown);
  g_test_add ("/Gremium/LogMonitor/storage-failure", MonitorFixture, NULL,
              monitor_setup, test_monitor_storage_failure, monitor_teardown);

  return g_test_run ();
}
