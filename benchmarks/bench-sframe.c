/* bench-sframe.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SFrame protect and unprotect against raw libsodium AES-256-GCM with a
 * precomputed key state, on the same packets (DESIGN §11: SFrame must run at
 * close to the raw speed; the target is at least 0.9 of its throughput).
 *
 * Both sides see the same bytes: the raw side encrypts each payload with the
 * nonce and AAD (SFrame header || metadata) that SFrame uses, computed before
 * the clock starts, so the ratio is the price of SFrame's own work: header,
 * nonce, AAD assembly, key lookup, replay window and locking.
 *
 * The cases run round-robin, one round (all packets once) at a time, and each
 * reports its best round: on a shared machine a busy moment then hits every
 * case alike and the best round shows the undisturbed cost.
 */

#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gremium-crypto.h"
#include "gremium-sframe.h"
#include "gremium-sframe-private.h"

#define KID 0x123

/* A 12-byte RTP header and a 4-byte VP8 payload descriptor with a 15-bit
 * PictureID: the bytes the media layer keeps in clear and authenticates.
 */
static const guint8 metadata[] = {
  0x80, 0x60, 0x12, 0x34, 0x00, 0x01, 0x5f, 0x90, 0xde, 0xad, 0xbe, 0xef,
  0x90, 0x80, 0x81, 0x23,
};

static int n_packets = 256;
static int n_rounds = 2000;
static int payload_size = 1200;

typedef struct
{
  guint8 **plain;        /* n_packets payloads */
  guint8 **sealed;       /* their SFrame ciphertexts, CTR 0 … n_packets - 1 */
  gsize   *sealed_len;
  guint8 **nonce;        /* what SFrame derives per packet, for the raw side */
  guint8 **aad;
  gsize   *aad_len;
  guint8  *out;          /* one output slot per packet */
  gsize    out_stride;
} Packets;

typedef struct _Case Case;

struct _Case
{
  const char                  *name;
  double                     (*round) (Case *self);
  gboolean                     decrypts;
  GremiumAesGcmBackend         backend;
  Packets                     *packets;
  const guint8                *base_key;
  gsize                        base_key_len;
  crypto_aead_aes256gcm_state *state;
  GremiumSFrameSender         *sender;
  double                       best;
  double                       total;
};

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static Packets *
packets_new (const guint8 *base_key,
             gsize         base_key_len)
{
  g_autoptr(GremiumSFrameSender) sender = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  guint8 key[GREMIUM_SFRAME_MAX_KEY_SIZE];
  guint8 salt[GREMIUM_SFRAME_NONCE_SIZE];
  Packets *p = g_new0 (Packets, 1);

  if (!gremium_sframe_sender_set_key (sender, KID, base_key, base_key_len, NULL) ||
      !_gremium_sframe_derive (GREMIUM_SFRAME_AES_256_GCM_SHA512_128, KID, base_key,
                               base_key_len, NULL, key, salt))
    g_error ("cannot set up the sender");

  p->plain = g_new0 (guint8 *, n_packets);
  p->sealed = g_new0 (guint8 *, n_packets);
  p->sealed_len = g_new0 (gsize, n_packets);
  p->nonce = g_new0 (guint8 *, n_packets);
  p->aad = g_new0 (guint8 *, n_packets);
  p->aad_len = g_new0 (gsize, n_packets);
  p->out_stride = payload_size + GREMIUM_SFRAME_MAX_OVERHEAD;
  p->out = g_malloc0 (p->out_stride * n_packets);

  for (int i = 0; i < n_packets; i++)
    {
      gsize header_len;

      p->plain[i] = g_malloc (payload_size);
      randombytes_buf (p->plain[i], payload_size);

      p->sealed[i] = g_malloc (p->out_stride);
      if (gremium_sframe_sender_protect (sender, metadata, sizeof metadata,
                                         p->plain[i], payload_size, p->sealed[i],
                                         p->out_stride, &p->sealed_len[i]) != GREMIUM_SFRAME_OK)
        g_error ("cannot protect packet %d", i);

      header_len = p->sealed_len[i] - payload_size - GREMIUM_SFRAME_TAG_SIZE;
      p->aad_len[i] = header_len + sizeof metadata;
      p->aad[i] = g_malloc (p->aad_len[i]);
      memcpy (p->aad[i], p->sealed[i], header_len);
      memcpy (p->aad[i] + header_len, metadata, sizeof metadata);

      p->nonce[i] = g_malloc (GREMIUM_SFRAME_NONCE_SIZE);
      _gremium_sframe_nonce (salt, i, p->nonce[i]);
    }

  sodium_memzero (key, sizeof key);
  return p;
}

static void
packets_free (Packets *p)
{
  for (int i = 0; i < n_packets; i++)
    {
      g_free (p->plain[i]);
      g_free (p->sealed[i]);
      g_free (p->nonce[i]);
      g_free (p->aad[i]);
    }
  g_free (p->plain);
  g_free (p->sealed);
  g_free (p->sealed_len);
  g_free (p->nonce);
  g_free (p->aad);
  g_free (p->aad_len);
  g_free (p->out);
  g_free (p);
}

static double
raw_encrypt_round (Case *self)
{
  Packets *p = self->packets;
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n_packets; i++)
    {
      unsigned long long clen;

      crypto_aead_aes256gcm_encrypt_afternm (p->out + i * p->out_stride, &clen,
                                             p->plain[i], payload_size,
                                             p->aad[i], p->aad_len[i], NULL,
                                             p->nonce[i], self->state);
    }

  return seconds_since (start);
}

static double
raw_decrypt_round (Case *self)
{
  Packets *p = self->packets;
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n_packets; i++)
    {
      gsize header_len = p->aad_len[i] - sizeof metadata;
      unsigned long long mlen;

      if (crypto_aead_aes256gcm_decrypt_afternm (p->out + i * p->out_stride, &mlen, NULL,
                                                 p->sealed[i] + header_len,
                                                 p->sealed_len[i] - header_len,
                                                 p->aad[i], p->aad_len[i],
                                                 p->nonce[i], self->state) != 0)
        g_error ("raw decryption failed");
    }

  return seconds_since (start);
}

static double
protect_round (Case *self)
{
  Packets *p = self->packets;
  gint64 start;

  /* One sender across all rounds, as in a call: its counter goes on. */
  if (self->sender == NULL)
    {
      self->sender = _gremium_sframe_sender_new_with_backend (GREMIUM_SFRAME_AES_256_GCM_SHA512_128,
                                                              self->backend);
      if (!gremium_sframe_sender_set_key (self->sender, KID, self->base_key,
                                          self->base_key_len, NULL))
        g_error ("cannot set the sender's key");
    }

  start = g_get_monotonic_time ();
  for (int i = 0; i < n_packets; i++)
    {
      gsize len;

      if (gremium_sframe_sender_protect (self->sender, metadata, sizeof metadata,
                                         p->plain[i], payload_size,
                                         p->out + i * p->out_stride, p->out_stride,
                                         &len) != GREMIUM_SFRAME_OK)
        g_error ("protect failed");
    }

  return seconds_since (start);
}

/* The same packets again would be replays, so every round gets a fresh
 * receiver; setting it up stays outside the clock.
 */
static double
unprotect_round (Case *self)
{
  g_autoptr(GremiumSFrameReceiver) receiver = NULL;
  Packets *p = self->packets;
  gint64 start;

  receiver = _gremium_sframe_receiver_new_with_backend (GREMIUM_SFRAME_AES_256_GCM_SHA512_128,
                                                        self->backend);
  if (!gremium_sframe_receiver_add_key (receiver, KID, self->base_key, self->base_key_len, NULL))
    g_error ("cannot add the receiver's key");

  start = g_get_monotonic_time ();
  for (int i = 0; i < n_packets; i++)
    {
      gsize len;

      if (gremium_sframe_receiver_unprotect (receiver, metadata, sizeof metadata,
                                             p->sealed[i], p->sealed_len[i],
                                             p->out + i * p->out_stride, p->out_stride,
                                             &len, NULL) != GREMIUM_SFRAME_OK)
        g_error ("unprotect failed");
    }

  return seconds_since (start);
}

static void
report (const Case *c,
        const Case *baseline)
{
  double best_us = c->best * 1e6 / n_packets;
  double mean_us = c->total * 1e6 / ((double) n_packets * n_rounds);

  printf ("  %-30s %7.3f µs/packet  (mean %7.3f)  %6.0f MB/s", c->name, best_us, mean_us,
          payload_size / best_us);
  if (baseline != NULL && baseline != c)
    printf ("   %.2f × raw", baseline->best / c->best);
  printf ("\n");
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "packets", 'n', 0, G_OPTION_ARG_INT, &n_packets, "Distinct packets per round", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &n_rounds, "Rounds of every case", "N" },
    { "size", 's', 0, G_OPTION_ARG_INT, &payload_size, "Payload bytes per packet", "BYTES" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- SFrame throughput");
  g_autoptr(GError) error = NULL;
  crypto_aead_aes256gcm_state *state = NULL;
  guint8 base_key[32];
  guint8 key[GREMIUM_SFRAME_MAX_KEY_SIZE];
  guint8 salt[GREMIUM_SFRAME_NONCE_SIZE];
  gboolean have_aesni;
  Case cases[6];
  guint n_cases = 0;
  const Case *raw_encrypt = NULL;
  const Case *raw_decrypt = NULL;
  Packets *p;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (n_packets < 1 || n_rounds < 1 || payload_size < 1)
    {
      g_printerr ("--packets, --rounds and --size must be positive\n");
      return EXIT_FAILURE;
    }

  if (!gremium_crypto_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  randombytes_buf (base_key, sizeof base_key);
  p = packets_new (base_key, sizeof base_key);
  have_aesni = crypto_aead_aes256gcm_is_available ();

  if (have_aesni)
    {
      if (!_gremium_sframe_derive (GREMIUM_SFRAME_AES_256_GCM_SHA512_128, KID, base_key,
                                   sizeof base_key, NULL, key, salt))
        g_error ("cannot derive the key");
      state = sodium_malloc (sizeof *state);
      crypto_aead_aes256gcm_beforenm (state, key);
      sodium_memzero (key, sizeof key);
    }

#define ADD_CASE(n, f, d, b)                                                      \
  (cases[n_cases] = (Case) { .name = (n), .round = (f), .decrypts = (d),          \
                             .backend = (b), .packets = p, .base_key = base_key,  \
                             .base_key_len = sizeof base_key, .state = state,     \
                             .best = G_MAXDOUBLE },                               \
   &cases[n_cases++])

  if (have_aesni)
    {
      raw_encrypt = ADD_CASE ("raw libsodium encrypt", raw_encrypt_round, FALSE,
                              GREMIUM_AES_GCM_BACKEND_SODIUM);
      ADD_CASE ("SFrame protect, libsodium", protect_round, FALSE,
                GREMIUM_AES_GCM_BACKEND_SODIUM);
    }
  ADD_CASE ("SFrame protect, nettle", protect_round, FALSE, GREMIUM_AES_GCM_BACKEND_NETTLE);
  if (have_aesni)
    {
      raw_decrypt = ADD_CASE ("raw libsodium decrypt", raw_decrypt_round, TRUE,
                              GREMIUM_AES_GCM_BACKEND_SODIUM);
      ADD_CASE ("SFrame unprotect, libsodium", unprotect_round, TRUE,
                GREMIUM_AES_GCM_BACKEND_SODIUM);
    }
  ADD_CASE ("SFrame unprotect, nettle", unprotect_round, TRUE, GREMIUM_AES_GCM_BACKEND_NETTLE);

#undef ADD_CASE

  for (int r = 0; r < n_rounds; r++)
    for (guint c = 0; c < n_cases; c++)
      {
        double t = cases[c].round (&cases[c]);

        cases[c].best = MIN (cases[c].best, t);
        cases[c].total += t;
      }

  printf ("SFrame AES_256_GCM_SHA512_128: %d-byte payloads, %zu bytes of metadata,\n"
          "%d packets per round, %d rounds per case, best round\n",
          payload_size, sizeof metadata, n_packets, n_rounds);
  printf ("automatic implementation: %s\n",
          gremium_sframe_cipher_suite_get_implementation (GREMIUM_SFRAME_AES_256_GCM_SHA512_128));
  if (!have_aesni)
    printf ("libsodium AES-256-GCM cannot run here (no AES-NI/PCLMUL): no raw baseline\n");

  for (guint c = 0; c < n_cases; c++)
    {
      if (c == 0 || cases[c].decrypts != cases[c - 1].decrypts)
        printf ("%s\n", cases[c].decrypts ? "unprotect (decrypt and verify)" : "protect (encrypt)");

      report (&cases[c], cases[c].decrypts ? raw_decrypt : raw_encrypt);
    }

  for (guint c = 0; c < n_cases; c++)
    g_clear_pointer (&cases[c].sender, gremium_sframe_sender_unref);
  if (state != NULL)
    sodium_free (state);
  packets_free (p);
  sodium_memzero (base_key, sizeof base_key);

  return EXIT_SUCCESS;
}
