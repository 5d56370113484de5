/* gremium-vote.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-vote"

#include "config.h"

#include "gremium-vote.h"
#include "gremium-vote-private.h"
#include "gremium-ballot-private.h"
#include "gremium-election-key-private.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-meeting-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumVote:
 *
 * One vote of a meeting, as its record describes it: the chair's
 * definition, the tellers' key shares, every ballot, the close, the
 * decryption shares, the lot if a tie needs one, and the result.
 *
 * Like the rest of the meeting, a vote is computed from signed statements by
 * the same code on the server, on every client and in the verifier. Every
 * ballot is verified when it is applied (signature, eligibility, one ballot
 * per voter, and for secret votes every zero-knowledge proof); the counts and
 * the outcome are computed, never taken from anyone's word, and the chair's
 * result statement is accepted only if it says exactly what the record says.
 * docs/voting.md is the specification.
 */
struct _GremiumVote
{
  GObject             parent_instance;

  char               *id;
  char               *meeting_id;
  GremiumVoteType     type;
  char               *question;
  guint               item;
  GStrv               options;
  GStrv               eligible;
  GStrv               tellers;
  GremiumMajority     majority;
  GremiumElectionBase election_base;
  char               *runoff_of;
  guint               time_limit;
  gint64              deadline;

  /* Figures at the opening, for the minutes. */
  guint               n_members;
  guint               n_excluded;

  GremiumVoteState    state;
  GPtrArray          *voters;           /* member ids in ballot order */
  GHashTable         *choices;          /* member id → choice + 1 (open and named votes) */
  GHashTable         *trackers;         /* member id → tracker text (secret votes) */
  GHashTable         *recorded;         /* member ids who asked for their vote in the minutes */

  GPtrArray          *teller_shares;    /* GBytes or NULL, in teller order */
  GPtrArray          *commitments;      /* GBytes or NULL */
  GPtrArray          *lot_values;       /* GBytes or NULL */
  GHashTable         *decryptions;      /* teller ids that delivered */
  GremiumElectionKey *key;
  GremiumTally       *tally;
  GPtrArray          *ballots;          /* GremiumBallot, secret votes */
  GHashTable         *ciphertexts;      /* GBytes: every α of the ballots, secret votes */

  guint64             close_index;
  guint8              close_root[GREMIUM_HASH_SIZE];
  guint              *counts;
  GremiumVoteOutcome  outcome;
  gint                elected;
  guint               runoff[2];
  gboolean            needs_lot;
  gboolean            by_lot;
  char               *cancel_reason;
};

G_DEFINE_FINAL_TYPE (GremiumVote, gremium_vote, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_N_BALLOTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  CHANGE_OPEN,
  CHANGE_TELLER_KEY,
  CHANGE_BALLOT,
  CHANGE_CLOSE,
  CHANGE_DECRYPTION,
  CHANGE_LOT,
  CHANGE_RESULT,
  CHANGE_CANCEL,
  CHANGE_RECORD_OWN,
} ChangeKind;

struct _GremiumVoteChange
{
  ChangeKind      kind;
  GremiumVote    *vote;          /* borrowed, or owned for CHANGE_OPEN */
  char           *author;
  gint            choice;
  GBytes         *bytes;         /* share, ballot or lot value */
  GBytes         *commitment;
  GremiumBallot  *ballot;
  guint           teller;
  char           *text;
};

static const char * const type_names[] = {
  [GREMIUM_VOTE_TYPE_OPEN] = "open",
  [GREMIUM_VOTE_TYPE_NAMED] = "named",
  [GREMIUM_VOTE_TYPE_SECRET] = "secret",
  [GREMIUM_VOTE_TYPE_ELECTION] = "election",
};

static const char * const majority_names[] = {
  [GREMIUM_MAJORITY_SIMPLE] = "simple",
  [GREMIUM_MAJORITY_ABSOLUTE] = "absolute",
  [GREMIUM_MAJORITY_TWO_THIRDS] = "two-thirds",
  [GREMIUM_MAJORITY_ELECTION] = "election",
};

static const char * const election_base_names[] = {
  [GREMIUM_ELECTION_BASE_ELIGIBLE] = "eligible",
  [GREMIUM_ELECTION_BASE_VALID_VOTES] = "valid-votes",
};

static const char * const outcome_names[] = {
  [GREMIUM_VOTE_OUTCOME_NONE] = "none",
  [GREMIUM_VOTE_OUTCOME_ADOPTED] = "adopted",
  [GREMIUM_VOTE_OUTCOME_REJECTED] = "rejected",
  [GREMIUM_VOTE_OUTCOME_ELECTED] = "elected",
  [GREMIUM_VOTE_OUTCOME_RUNOFF] = "runoff",
  [GREMIUM_VOTE_OUTCOME_NOT_ELECTED] = "not-elected",
};

#define LOT_DOMAIN "gremium lot v1"
#define LOT_COMMITMENT_DOMAIN "gremium lot commitment v1"

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *out)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], text))
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
fail (GError     **error,
      GremiumError code,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      GremiumError code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (GREMIUM_ERROR, code, format, args);
  va_end (args);

  return FALSE;
}

static void
set_state (GremiumVote      *self,
           GremiumVoteState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gint
strv_index (char       **strv,
            const char  *value)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_str_equal (strv[i], value))
      return i;

  return -1;
}

static void
append_length_prefixed (GChecksum    *checksum,
                        const guint8 *data,
                        gsize         len)
{
  guint8 prefix[4] = { len >> 24, len >> 16, len >> 8, len };

  g_checksum_update (checksum, prefix, sizeof prefix);
  g_checksum_update (checksum, data, len);
}

static void
append_string (GChecksum  *checksum,
               const char *text)
{
  append_length_prefixed (checksum, (const guint8 *) text, strlen (text));
}

/* The commitment a teller publishes with its key share, before any ballot:
 * SHA-256 (domain || LP(vote id) || LP(teller id) || value), where LP is a
 * 4-byte big-endian length followed by the bytes.
 */
guint8 *
_gremium_vote_lot_commitment (const char   *vote_id,
                              const char   *teller_id,
                              const guint8  value[GREMIUM_VOTE_LOT_VALUE_SIZE])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 *out = g_malloc (GREMIUM_HASH_SIZE);
  gsize len = GREMIUM_HASH_SIZE;

  append_string (checksum, LOT_COMMITMENT_DOMAIN);
  append_string (checksum, vote_id);
  append_string (checksum, teller_id);
  g_checksum_update (checksum, value, GREMIUM_VOTE_LOT_VALUE_SIZE);
  g_checksum_get_digest (checksum, out, &len);

  return out;
}

/* Draws one of @n candidates for the @draw-th lot of this vote. The seed
 * hashes every teller's revealed value and the root of the record at the
 * entry that closed the vote: the values were committed before the first
 * ballot and the root did not exist before the last one, so nobody could
 * know or steer the draw in advance, and everyone can recompute it.
 */
static guint
draw_lot (GremiumVote *self,
          guint        draw,
          guint        n)
{
  g_autoptr(GChecksum) seed = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) pick = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 seed_bytes[GREMIUM_HASH_SIZE];
  guint8 pick_bytes[GREMIUM_HASH_SIZE];
  guint8 counter[4] = { draw >> 24, draw >> 16, draw >> 8, draw };
  gsize len = sizeof seed_bytes;
  guint64 value = 0;
  guint n_tellers = g_strv_length (self->tellers);
  guint8 teller_count[4] = { n_tellers >> 24, n_tellers >> 16, n_tellers >> 8, n_tellers };

  g_assert (n > 0);

  append_string (seed, LOT_DOMAIN);
  append_string (seed, self->meeting_id);
  append_string (seed, self->id);
  g_checksum_update (seed, teller_count, sizeof teller_count);
  for (guint i = 0; i < n_tellers; i++)
    {
      GBytes *value_bytes = g_ptr_array_index (self->lot_values, i);

      append_string (seed, self->tellers[i]);
      g_checksum_update (seed, g_bytes_get_data (value_bytes, NULL), GREMIUM_VOTE_LOT_VALUE_SIZE);
    }
  g_checksum_update (seed, self->close_root, sizeof self->close_root);
  g_checksum_get_digest (seed, seed_bytes, &len);

  g_checksum_update (pick, seed_bytes, sizeof seed_bytes);
  g_checksum_update (pick, counter, sizeof counter);
  len = sizeof pick_bytes;
  g_checksum_get_digest (pick, pick_bytes, &len);

  for (guint i = 0; i < 8; i++)
    value = (value << 8) | pick_bytes[i];

  /* The bias of a 64-bit value reduced modulo at most 32 is below 2^-58. */
  return (guint) (value % n);
}

/* Which candidates tie at a place: those with @count among @candidates. */
static GArray *
candidates_with_count (GremiumVote *self,
                       GArray      *candidates,
                       guint        count)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < candidates->len; i++)
    {
      guint c = g_array_index (candidates, guint, i);

      if (self->counts[c] == count)
        g_array_append_val (out, c);
    }

  return out;
}

static guint
max_count (GremiumVote *self,
           GArray      *candidates)
{
  guint best = 0;

  for (guint i = 0; i < candidates->len; i++)
    best = MAX (best, self->counts[g_array_index (candidates, guint, i)]);

  return best;
}

/* Decides an election from its counts. Returns FALSE when the decision
 * needs a lot that is not drawn yet (the lot values are missing); with
 * @lot_ready the draws are made.
 */
static gboolean
decide_election (GremiumVote *self,
                 gboolean     lot_ready)
{
  guint n = g_strv_length (self->options);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) top = NULL;
  guint valid = 0;
  guint base;
  guint best;
  guint draws = 0;

  for (guint i = 0; i < n; i++)
    {
      g_array_append_val (all, i);
      valid += self->counts[i];
    }

  best = max_count (self, all);
  top = candidates_with_count (self, all, best);

  if (self->runoff_of != NULL)
    {
      /* A runoff: the most votes win; a tie is decided by lot. */
      if (top->len == 1)
        {
          self->outcome = GREMIUM_VOTE_OUTCOME_ELECTED;
          self->elected = g_array_index (top, guint, 0);
          return TRUE;
        }

      if (!lot_ready)
        return FALSE;

      self->outcome = GREMIUM_VOTE_OUTCOME_ELECTED;
      self->elected = g_array_index (top, guint, draw_lot (self, 0, top->len));
      self->by_lot = TRUE;
      return TRUE;
    }

  base = self->election_base == GREMIUM_ELECTION_BASE_ELIGIBLE
    ? g_strv_length (self->eligible) : valid;

  if (top->len == 1 && 2 * best > base)
    {
      self->outcome = GREMIUM_VOTE_OUTCOME_ELECTED;
      self->elected = g_array_index (top, guint, 0);
      return TRUE;
    }

  if (n < 2 || best == 0)
    {
      self->outcome = GREMIUM_VOTE_OUTCOME_NOT_ELECTED;
      return TRUE;
    }

  /* Nobody has the majority: a runoff between the two best. Ties for the
   * two places are decided by lot, one place at a time.
   */
  if (top->len >= 2)
    {
      if (top->len > 2 && !lot_ready)
        return FALSE;

      for (guint place = 0; place < 2; place++)
        {
          guint chosen = top->len > 2 - place ? draw_lot (self, draws++, top->len) : 0;

          self->runoff[place] = g_array_index (top, guint, chosen);
          g_array_remove_index (top, chosen);
        }
    }
  else
    {
      g_autoptr(GArray) rest = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) second = NULL;

      self->runoff[0] = g_array_index (top, guint, 0);
      for (guint i = 0; i < n; i++)
        if (i != self->runoff[0])
          g_array_append_val (rest, i);

      second = candidates_with_count (self, rest, max_count (self, rest));
      if (second->len > 1 && !lot_ready)
        return FALSE;

      self->runoff[1] = g_array_index (second, guint, second->len > 1
                                                        ? draw_lot (self, draws++, second->len) : 0);
    }

  if (self->runoff[0] > self->runoff[1])
    {
      guint swap = self->runoff[0];

      self->runoff[0] = self->runoff[1];
      self->runoff[1] = swap;
    }

  self->by_lot = draws > 0;
  self->outcome = GREMIUM_VOTE_OUTCOME_RUNOFF;
  return TRUE;
}

static void
decide_motion (GremiumVote *self)
{
  guint yes = self->counts[0];
  guint no = self->counts[1];
  gboolean adopted = FALSE;

  switch (self->majority)
    {
    case GREMIUM_MAJORITY_SIMPLE:
      adopted = yes > no;
      break;

    case GREMIUM_MAJORITY_ABSOLUTE:
      adopted = 2 * yes > self->n_members;
      break;

    case GREMIUM_MAJORITY_TWO_THIRDS:
      adopted = yes > 0 && 3 * yes >= 2 * (yes + no);
      break;

    case GREMIUM_MAJORITY_ELECTION:
    default:
      g_assert_not_reached ();
    }

  self->outcome = adopted ? GREMIUM_VOTE_OUTCOME_ADOPTED : GREMIUM_VOTE_OUTCOME_REJECTED;
}

/* The counts are known: decide, or wait for the lot. */
static void
counts_known (GremiumVote *self)
{
  if (self->type != GREMIUM_VOTE_TYPE_ELECTION)
    {
      decide_motion (self);
      set_state (self, GREMIUM_VOTE_STATE_DECIDED);
      return;
    }

  if (decide_election (self, FALSE))
    {
      set_state (self, GREMIUM_VOTE_STATE_DECIDED);
      return;
    }

  self->needs_lot = TRUE;
  set_state (self, GREMIUM_VOTE_STATE_AWAITING_LOT);
}

static void
close_vote (GremiumVote       *self,
            GremiumRecordEntry *entry,
            GremiumMerkleTree *tree)
{
  guint n = g_strv_length (self->options);

  self->close_index = gremium_record_entry_get_index (entry);
  gremium_merkle_tree_get_root (tree, gremium_merkle_tree_get_size (tree), self->close_root);
  set_state (self, GREMIUM_VOTE_STATE_CLOSED);

  if (gremium_vote_is_secret (self))
    return;

  self->counts = g_new0 (guint, n);
  for (guint i = 0; i < self->voters->len; i++)
    {
      gpointer choice = g_hash_table_lookup (self->choices, g_ptr_array_index (self->voters, i));

      self->counts[GPOINTER_TO_UINT (choice) - 1]++;
    }

  counts_known (self);
}

static void
gremium_vote_finalize (GObject *object)
{
  GremiumVote *self = (GremiumVote *) object;

  g_free (self->id);
  g_free (self->meeting_id);
  g_free (self->question);
  g_strfreev (self->options);
  g_strfreev (self->eligible);
  g_strfreev (self->tellers);
  g_free (self->runoff_of);
  g_clear_pointer (&self->voters, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_pointer (&self->trackers, g_hash_table_unref);
  g_clear_pointer (&self->recorded, g_hash_table_unref);
  g_clear_pointer (&self->teller_shares, g_ptr_array_unref);
  g_clear_pointer (&self->commitments, g_ptr_array_unref);
  g_clear_pointer (&self->lot_values, g_ptr_array_unref);
  g_clear_pointer (&self->decryptions, g_hash_table_unref);
  g_clear_object (&self->key);
  g_clear_object (&self->tally);
  g_clear_pointer (&self->ballots, g_ptr_array_unref);
  g_clear_pointer (&self->ciphertexts, g_hash_table_unref);
  g_free (self->counts);
  g_free (self->cancel_reason);

  G_OBJECT_CLASS (gremium_vote_parent_class)->finalize (object);
}

static void
gremium_vote_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GremiumVote *self = GREMIUM_VOTE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_N_BALLOTS:
      g_value_set_uint (value, self->voters->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_vote_class_init (GremiumVoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_vote_finalize;
  object_class->get_property = gremium_vote_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, GREMIUM_VOTE_STATE_CANCELLED, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_BALLOTS] =
    g_param_spec_uint ("n-ballots", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_vote_init (GremiumVote *self)
{
  self->voters = g_ptr_array_new_with_free_func (g_free);
  self->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->trackers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->decryptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->teller_shares = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->commitments = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->lot_values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->ballots = g_ptr_array_new_with_free_func (g_object_unref);
  self->ciphertexts = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify) g_bytes_unref, NULL);
  self->elected = -1;
}

gboolean
_gremium_vote_is_vote_kind (const char *kind)
{
  return g_str_has_prefix (kind, "vote.");
}

gboolean
_gremium_vote_is_in_progress (GremiumVote *self)
{
  return self->state != GREMIUM_VOTE_STATE_PUBLISHED && self->state != GREMIUM_VOTE_STATE_CANCELLED;
}

void
_gremium_vote_change_free (GremiumVoteChange *change)
{
  if (change == NULL)
    return;

  if (change->kind == CHANGE_OPEN)
    g_clear_object (&change->vote);
  g_free (change->author);
  g_clear_pointer (&change->bytes, g_bytes_unref);
  g_clear_pointer (&change->commitment, g_bytes_unref);
  g_clear_object (&change->ballot);
  g_free (change->text);
  g_free (change);
}

static gboolean
check_members (JsonObject          *data,
               const char          *kind,
               const char * const  *allowed,
               GError             **error)
{
  g_autofree char *context = g_strdup_printf ("the data of “%s”", kind);

  return _gremium_json_check_members (data, context, allowed, error);
}

static GBytes *
get_base64 (JsonObject  *data,
            const char  *member,
            gsize        max_len,
            GError     **error)
{
  const char *text = _gremium_json_get_string (data, member, max_len * 4 / 3 + 4, error);
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;

  if (text == NULL)
    return NULL;

  bytes = gremium_base64_decode (text, &len, error);
  if (bytes == NULL)
    {
      g_prefix_error (error, "The field “%s”: ", member);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&bytes), len);
}

static GStrv
get_id_list (JsonObject  *data,
             const char  *member,
             guint        max_len,
             GError     **error)
{
  JsonArray *array = _gremium_json_get_array (data, member, max_len, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (array == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !_gremium_id_is_valid (id = json_node_get_string (node)) ||
          g_hash_table_contains (seen, id))
        {
          fail (error, GREMIUM_ERROR_INVALID_FIELD,
                "The field “%s” must list distinct member ids", member);
          return NULL;
        }

      g_hash_table_add (seen, (gpointer) id);
      g_strv_builder_add (builder, id);
    }

  return g_strv_builder_end (builder);
}

static gboolean
require_chair_present (GremiumMeeting  *meeting,
                       GremiumMember   *author,
                       const char      *kind,
                       GError         **error)
{
  if (author == NULL || !gremium_meeting_has_chair_powers (meeting, gremium_member_get_id (author)))
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "Only the chair may do this (“%s”)", kind);

  if (gremium_member_get_presence (author) != GREMIUM_PRESENCE_PRESENT)
    return fail (error, GREMIUM_ERROR_NOT_PARTICIPANT, "%s is not present in the meeting",
                 gremium_member_get_id (author));

  return TRUE;
}

static GremiumVote *
lookup_vote_field (GremiumMeeting  *meeting,
                   JsonObject      *data,
                   GError         **error)
{
  const char *vote_id = _gremium_json_get_string (data, "vote", 64, error);
  GremiumVote *vote;

  if (vote_id == NULL)
    return NULL;

  vote = gremium_meeting_lookup_vote (meeting, vote_id);
  if (vote == NULL)
    fail (error, GREMIUM_ERROR_INVALID_STATE, "There is no vote “%s”", vote_id);

  return vote;
}

static gboolean
prepare_open (GremiumMeeting     *meeting,
              GremiumVoteChange  *change,
              GremiumMember      *author,
              JsonObject         *data,
              GError            **error)
{
  static const char * const allowed[] = {
    "vote", "type", "question", "options", "eligible", "majority", "tellers", "limit",
    "runoff_of", NULL
  };
  g_autoptr(GremiumVote) vote = g_object_new (GREMIUM_TYPE_VOTE, NULL);
  g_autoptr(GStrvBuilder) options = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  GremiumAgendaItem *item;
  GremiumQuorum quorum;
  const char *vote_id;
  const char *type;
  const char *question;
  const char *majority;
  const char *runoff_of;
  JsonArray *option_array;
  gint64 limit;

  if (!require_chair_present (meeting, author, GREMIUM_KIND_VOTE_OPEN, error) ||
      !check_members (data, GREMIUM_KIND_VOTE_OPEN, allowed, error) ||
      !(vote_id = _gremium_json_get_string (data, "vote", 64, error)) ||
      !(type = _gremium_json_get_string (data, "type", 16, error)) ||
      !(question = _gremium_json_get_string (data, "question", GREMIUM_VOTE_MAX_QUESTION_LENGTH * 4, error)) ||
      !(option_array = _gremium_json_get_array (data, "options", GREMIUM_VOTE_MAX_OPTIONS, error)) ||
      !(vote->eligible = get_id_list (data, "eligible", GREMIUM_MAX_ROSTER_SIZE, error)) ||
      !(majority = _gremium_json_get_string (data, "majority", 16, error)) ||
      !(vote->tellers = get_id_list (data, "tellers", GREMIUM_VOTE_MAX_TELLERS, error)) ||
      !_gremium_json_get_int (data, "limit", 0, GREMIUM_VOTE_MAX_TIME_LIMIT_SECONDS, &limit, error))
    return FALSE;

  runoff_of = _gremium_json_get_optional_string (data, "runoff_of", 64, error);
  if (runoff_of == NULL && json_object_has_member (data, "runoff_of"))
    return FALSE;

  if (!_gremium_id_is_valid (vote_id))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "“%s” is not a valid vote id", vote_id);

  if (gremium_meeting_lookup_vote (meeting, vote_id) != NULL)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote id “%s” is already used", vote_id);

  if (!gremium_vote_type_from_string (type, &vote->type))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown type of vote “%s”", type);

  if (!gremium_majority_from_string (majority, &vote->majority))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown majority “%s”", majority);

  if ((vote->type == GREMIUM_VOTE_TYPE_ELECTION) != (vote->majority == GREMIUM_MAJORITY_ELECTION))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                 "An election uses the majority “election”, and only an election does");

  if (question[0] == '\0' || g_utf8_strlen (question, -1) > GREMIUM_VOTE_MAX_QUESTION_LENGTH)
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The question has 1 to %d characters",
                 GREMIUM_VOTE_MAX_QUESTION_LENGTH);

  if (json_array_get_length (option_array) < (vote->type == GREMIUM_VOTE_TYPE_ELECTION ? 1 : 2))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                 "A motion needs at least two options (approval and rejection), an election a candidate");

  for (guint i = 0; i < json_array_get_length (option_array); i++)
    {
      JsonNode *node = json_array_get_element (option_array, i);
      const char *option;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !_gremium_text_is_valid (option = json_node_get_string (node), GREMIUM_VOTE_MAX_OPTION_LENGTH * 4) ||
          option[0] == '\0' || g_utf8_strlen (option, -1) > GREMIUM_VOTE_MAX_OPTION_LENGTH)
        return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                     "Option %u must have 1 to %d characters", i + 1, GREMIUM_VOTE_MAX_OPTION_LENGTH);

      for (guint j = 0; j < i; j++)
        if (g_str_equal (json_array_get_string_element (option_array, j), option))
          return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The option “%s” appears twice", option);

      g_strv_builder_add (options, option);
    }
  vote->options = g_strv_builder_end (options);

  if (!gremium_meeting_get_opened (meeting))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting is not open");

  item = gremium_meeting_get_current_item (meeting);
  if (item == NULL)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "A vote belongs to an agenda item; call one first");

  if (_gremium_meeting_get_current_vote (meeting) != NULL)
    return fail (error, GREMIUM_ERROR_INVALID_STATE,
                 "Vote “%s” is not finished; publish or cancel it first",
                 gremium_vote_get_id (_gremium_meeting_get_current_vote (meeting)));

  /* Without a quorum the council cannot decide anything (Beschlussfähigkeit). */
  gremium_meeting_get_quorum (meeting, &quorum);
  if (!quorum.reached)
    return fail (error, GREMIUM_ERROR_INVALID_STATE,
                 "The meeting is not quorate (%u of %u required present)",
                 quorum.present, quorum.required);

  /* The eligible voters are not the chair's to choose: the present voting
   * members minus those excluded for a personal interest.
   */
  expected = gremium_meeting_dup_eligible (meeting);
  if (!g_strv_equal ((const char * const *) expected, (const char * const *) vote->eligible))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                 "The eligible voters must be exactly the present voting members not excluded "
                 "from this item, in roster order");

  if (g_strv_length (vote->eligible) == 0)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "Nobody is eligible to vote");

  if (gremium_vote_is_secret (vote))
    {
      if (vote->tellers[0] == NULL)
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "A secret vote needs at least one teller");

      if (g_strv_length (vote->options) > GREMIUM_SECRET_VOTE_MAX_OPTIONS)
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Too many options for a secret vote");

      for (guint i = 0; vote->tellers[i] != NULL; i++)
        {
          GremiumMember *teller = gremium_meeting_lookup_member (meeting, vote->tellers[i]);

          if (teller == NULL || gremium_member_get_role (teller) == GREMIUM_ROLE_GUEST ||
              gremium_member_get_presence (teller) != GREMIUM_PRESENCE_PRESENT)
            return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                         "Teller “%s” must be a present participant who is not a guest",
                         vote->tellers[i]);
        }
    }
  else if (vote->tellers[0] != NULL)
    {
      return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Only secret votes have tellers");
    }

  if (runoff_of != NULL)
    {
      GremiumVote *first = gremium_meeting_lookup_vote (meeting, runoff_of);
      guint a, b;

      if (vote->type != GREMIUM_VOTE_TYPE_ELECTION || first == NULL ||
          first->type != GREMIUM_VOTE_TYPE_ELECTION ||
          first->state != GREMIUM_VOTE_STATE_PUBLISHED ||
          !gremium_vote_get_runoff (first, &a, &b))
        return fail (error, GREMIUM_ERROR_INVALID_STATE,
                     "A runoff follows a published election whose result is a runoff");

      /* The runoff is between exactly the two best of the first round. */
      if (g_strv_length (vote->options) != 2 ||
          !g_str_equal (vote->options[0], first->options[a]) ||
          !g_str_equal (vote->options[1], first->options[b]))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                     "The runoff's candidates must be “%s” and “%s”, in this order",
                     first->options[a], first->options[b]);

      vote->runoff_of = g_strdup (runoff_of);
    }

  vote->id = g_strdup (vote_id);
  vote->meeting_id = g_strdup (gremium_meeting_get_id (meeting));
  vote->question = g_strdup (question);
  vote->item = gremium_agenda_item_get_id (item);
  vote->election_base = _gremium_meeting_get_election_base (meeting);
  vote->time_limit = (guint) limit;
  vote->n_members = quorum.members;
  vote->n_excluded = quorum.excluded;
  vote->state = gremium_vote_is_secret (vote) ? GREMIUM_VOTE_STATE_COLLECTING_KEYS
                                              : GREMIUM_VOTE_STATE_OPEN;
  for (guint i = 0; vote->tellers[i] != NULL; i++)
    {
      g_ptr_array_add (vote->teller_shares, NULL);
      g_ptr_array_add (vote->commitments, NULL);
      g_ptr_array_add (vote->lot_values, NULL);
    }

  change->vote = g_steal_pointer (&vote);
  return TRUE;
}

static gboolean
prepare_teller_key (GremiumMeeting     *meeting,
                    GremiumVoteChange  *change,
                    GremiumMember      *author,
                    JsonObject         *data,
                    GError            **error)
{
  static const char * const allowed[] = { "vote", "share", "commitment", NULL };
  g_autoptr(GPtrArray) shares = g_ptr_array_new ();
  g_autoptr(GremiumElectionKey) single = NULL;
  GremiumVote *vote;
  gint teller;

  if (!check_members (data, GREMIUM_KIND_VOTE_TELLER_KEY, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  teller = author ? strv_index (vote->tellers, gremium_member_get_id (author)) : -1;
  if (teller < 0)
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "Only the vote's tellers deliver key shares");

  if (vote->state != GREMIUM_VOTE_STATE_COLLECTING_KEYS)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote does not take key shares now");

  if (g_ptr_array_index (vote->teller_shares, teller) != NULL)
    return fail (error, GREMIUM_ERROR_REPLAYED, "%s has delivered a key share already",
                 vote->tellers[teller]);

  if (!(change->bytes = get_base64 (data, "share", GREMIUM_TELLER_SHARE_MAX_SIZE, error)) ||
      !(change->commitment = get_base64 (data, "commitment", GREMIUM_HASH_SIZE, error)))
    return FALSE;

  if (g_bytes_get_size (change->commitment) != GREMIUM_HASH_SIZE)
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The lot commitment must have 32 bytes");

  /* The share's proof of knowledge binds it to this meeting, vote and
   * teller; checking it alone refuses a rogue key at once.
   */
  g_ptr_array_add (shares, change->bytes);
  single = gremium_election_key_new (vote->meeting_id, vote->id, g_strv_length (vote->options),
                                     vote->type == GREMIUM_VOTE_TYPE_ELECTION ? 0 : 1, 1,
                                     shares, error);
  if (single == NULL)
    return FALSE;

  if (!g_str_equal (gremium_election_key_get_teller_id (single, 0), vote->tellers[teller]))
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "The key share is for another teller");

  /* With the last share the election key is built, and shares that verify
   * one by one can still fail together: colluding tellers can present the
   * same key, or keys that add up to the identity. Such a share is refused
   * here like any other bad share, as applying it must not fail.
   */
  {
    g_autoptr(GPtrArray) all = g_ptr_array_new ();
    g_autoptr(GremiumElectionKey) combined = NULL;

    for (guint i = 0; i < vote->teller_shares->len; i++)
      {
        GBytes *share = (gint) i == teller ? change->bytes
                                            : g_ptr_array_index (vote->teller_shares, i);

        if (share == NULL)
          break;
        g_ptr_array_add (all, share);
      }

    if (all->len == vote->teller_shares->len &&
        !(combined = gremium_election_key_new (vote->meeting_id, vote->id,
                                               g_strv_length (vote->options),
                                               vote->type == GREMIUM_VOTE_TYPE_ELECTION ? 0 : 1, 1,
                                               all, error)))
      return FALSE;
  }

  change->teller = teller;
  return TRUE;
}

static gboolean
prepare_ballot (GremiumMeeting     *meeting,
                GremiumVoteChange  *change,
                GremiumMember      *author,
                gint64              entry_time,
                JsonObject         *data,
                GError            **error)
{
  static const char * const open_allowed[] = { "vote", "choice", NULL };
  static const char * const secret_allowed[] = { "vote", "ballot", NULL };
  GremiumVote *vote;
  const char *voter;

  if (!(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  if (!check_members (data, GREMIUM_KIND_VOTE_BALLOT,
                      gremium_vote_is_secret (vote) ? secret_allowed : open_allowed, error))
    return FALSE;

  voter = author ? gremium_member_get_id (author) : NULL;
  if (voter == NULL || !gremium_vote_is_eligible (vote, voter))
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "%s is not eligible in this vote",
                 voter ? voter : "The server");

  if (gremium_member_get_presence (author) != GREMIUM_PRESENCE_PRESENT)
    return fail (error, GREMIUM_ERROR_NOT_PARTICIPANT, "%s is not present", voter);

  if (vote->state != GREMIUM_VOTE_STATE_OPEN)
    return fail (error, GREMIUM_ERROR_INVALID_STATE,
                 vote->state == GREMIUM_VOTE_STATE_COLLECTING_KEYS
                   ? "The vote is not open for ballots yet" : "The vote is closed");

  if (vote->deadline != 0 && entry_time > vote->deadline)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The time for voting is over");

  if (gremium_vote_has_voted (vote, voter))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s has voted already", voter);

  if (!gremium_vote_is_secret (vote))
    {
      gint64 choice;

      if (!_gremium_json_get_int (data, "choice", 0, g_strv_length (vote->options) - 1, &choice, error))
        return FALSE;

      change->choice = (gint) choice;
    }
  else
    {
      if (!(change->bytes = get_base64 (data, "ballot", GREMIUM_BALLOT_MAX_SIZE, error)) ||
          !(change->ballot = gremium_ballot_new_from_bytes (change->bytes, error)))
        return FALSE;

      /* Every proof is checked, and bound to this meeting, vote and voter: a
       * ballot copied from another voter or another vote fails here.
       */
      if (!gremium_ballot_verify (change->ballot, vote->key, voter, error))
        return FALSE;

      /* The tally refuses a ballot that repeats a ciphertext of another
       * ballot, and two colluding voters can make one with valid proofs
       * (one tells the other a nonce). Refuse it here, as applying a
       * ballot must not fail.
       */
      for (guint j = 0; j < gremium_ballot_get_n_options (change->ballot); j++)
        {
          g_autoptr(GBytes) alpha = NULL;

          alpha = g_bytes_new_static (_gremium_ballot_get_alpha (change->ballot, j), 32);

          if (g_hash_table_contains (vote->ciphertexts, alpha))
            return fail (error, GREMIUM_ERROR_REPLAYED,
                         "The ballot repeats a ciphertext of another ballot");
        }
    }

  change->author = g_strdup (voter);
  return TRUE;
}

static gboolean
prepare_close (GremiumMeeting     *meeting,
               GremiumVoteChange  *change,
               GremiumMember      *author,
               gint64              entry_time,
               JsonObject         *data,
               GError            **error)
{
  static const char * const allowed[] = { "vote", NULL };
  GremiumVote *vote;

  if (!check_members (data, GREMIUM_KIND_VOTE_CLOSE, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;

  /* The chair closes; the server closes only when the time limit ran out. */
  if (author == NULL)
    {
      if (vote->deadline == 0 || entry_time < vote->deadline)
        return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                     "The server closes a vote only when its time limit is over");
    }
  else if (!require_chair_present (meeting, author, GREMIUM_KIND_VOTE_CLOSE, error))
    {
      return FALSE;
    }

  if (vote->state != GREMIUM_VOTE_STATE_OPEN)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote is not open");

  return TRUE;
}

static gboolean
prepare_decryption (GremiumMeeting     *meeting,
                    GremiumVoteChange  *change,
                    GremiumMember      *author,
                    JsonObject         *data,
                    GError            **error)
{
  static const char * const allowed[] = { "vote", "share", NULL };
  g_autoptr(JsonObject) share = NULL;
  GremiumVote *vote;
  const char *teller_id;
  gint teller;
  gsize len;
  const char *text;

  if (!check_members (data, GREMIUM_KIND_VOTE_DECRYPTION, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  teller = author ? strv_index (vote->tellers, gremium_member_get_id (author)) : -1;
  if (teller < 0)
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                 "Only the vote's tellers deliver decryption shares");

  if (vote->state != GREMIUM_VOTE_STATE_CLOSED || !gremium_vote_is_secret (vote))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote does not take decryption shares now");

  if (g_hash_table_contains (vote->decryptions, vote->tellers[teller]))
    return fail (error, GREMIUM_ERROR_REPLAYED, "%s has delivered a decryption share already",
                 vote->tellers[teller]);

  if (!(change->bytes = get_base64 (data, "share", GREMIUM_DECRYPTION_SHARE_MAX_SIZE, error)))
    return FALSE;

  /* Read the share's teller before the tally sees it: a teller can only
   * deliver their own share.
   */
  text = g_bytes_get_data (change->bytes, &len);
  if (len == 0 || !(share = _gremium_json_parse_object (text, len, error)) ||
      !(teller_id = _gremium_json_get_string (share, "teller", 64, error)))
    {
      if (len == 0)
        fail (error, GREMIUM_ERROR_MALFORMED, "The decryption share is empty");
      return FALSE;
    }

  if (!g_str_equal (teller_id, vote->tellers[teller]))
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "The decryption share is for another teller");

  /* Check the share's proofs on a scratch tally of the same ballots, so
   * that applying it to the vote's own tally later cannot fail.
   */
  {
    g_autoptr(GremiumTally) scratch = gremium_tally_new (vote->key);

    for (guint i = 0; i < vote->ballots->len; i++)
      if (!gremium_tally_add_ballot (scratch, g_ptr_array_index (vote->ballots, i), error))
        return FALSE;

    if (!gremium_tally_add_decryption_share (scratch, change->bytes, error))
      return FALSE;
  }

  change->teller = teller;
  return TRUE;
}

static gboolean
prepare_lot (GremiumMeeting     *meeting,
             GremiumVoteChange  *change,
             GremiumMember      *author,
             JsonObject         *data,
             GError            **error)
{
  static const char * const allowed[] = { "vote", "value", NULL };
  g_autofree guint8 *commitment = NULL;
  GremiumVote *vote;
  gint teller;

  if (!check_members (data, GREMIUM_KIND_VOTE_LOT, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  teller = author ? strv_index (vote->tellers, gremium_member_get_id (author)) : -1;
  if (teller < 0)
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "Only the vote's tellers reveal lot values");

  if (vote->state != GREMIUM_VOTE_STATE_AWAITING_LOT)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote needs no lot");

  if (g_ptr_array_index (vote->lot_values, teller) != NULL)
    return fail (error, GREMIUM_ERROR_REPLAYED, "%s has revealed the lot value already",
                 vote->tellers[teller]);

  if (!(change->bytes = get_base64 (data, "value", GREMIUM_VOTE_LOT_VALUE_SIZE, error)))
    return FALSE;

  if (g_bytes_get_size (change->bytes) != GREMIUM_VOTE_LOT_VALUE_SIZE)
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "A lot value has 32 bytes");

  commitment = _gremium_vote_lot_commitment (vote->id, vote->tellers[teller],
                                             g_bytes_get_data (change->bytes, NULL));
  if (!gremium_memequal (commitment, g_bytes_get_data (g_ptr_array_index (vote->commitments, teller), NULL),
                         GREMIUM_HASH_SIZE))
    return fail (error, GREMIUM_ERROR_BAD_PROOF,
                 "The lot value does not match the commitment %s made before the vote",
                 vote->tellers[teller]);

  change->teller = teller;
  return TRUE;
}

static gboolean
prepare_result (GremiumMeeting     *meeting,
                GremiumVoteChange  *change,
                GremiumMember      *author,
                JsonObject         *data,
                GError            **error)
{
  g_autoptr(JsonObject) expected = NULL;
  GremiumVote *vote;

  if (!require_chair_present (meeting, author, GREMIUM_KIND_VOTE_RESULT, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  if (vote->state != GREMIUM_VOTE_STATE_DECIDED)
    return fail (error, GREMIUM_ERROR_INVALID_STATE,
                 vote->state == GREMIUM_VOTE_STATE_PUBLISHED ? "The result is published already"
                                                              : "The vote is not decided yet");

  /* The result statement goes into the minutes: it must say exactly what
   * the record says, figure by figure and word by word.
   */
  expected = gremium_vote_build_result (vote);
  if (!json_object_equal (expected, data))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                 "The result differs from what the ballots and the rules give");

  return TRUE;
}

static gboolean
prepare_cancel (GremiumMeeting     *meeting,
                GremiumVoteChange  *change,
                GremiumMember      *author,
                JsonObject         *data,
                GError            **error)
{
  static const char * const allowed[] = { "vote", "reason", NULL };
  const char *reason;
  GremiumVote *vote;

  if (!require_chair_present (meeting, author, GREMIUM_KIND_VOTE_CANCEL, error) ||
      !check_members (data, GREMIUM_KIND_VOTE_CANCEL, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)) ||
      !(reason = _gremium_json_get_string (data, "reason", GREMIUM_MAX_REASON_LENGTH, error)))
    return FALSE;

  change->vote = vote;
  if (!_gremium_vote_is_in_progress (vote))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote is finished");

  change->text = g_strdup (reason);
  return TRUE;
}

static gboolean
prepare_record_own (GremiumMeeting     *meeting,
                    GremiumVoteChange  *change,
                    GremiumMember      *author,
                    JsonObject         *data,
                    GError            **error)
{
  static const char * const allowed[] = { "vote", NULL };
  GremiumVote *vote;
  const char *voter;

  if (!check_members (data, GREMIUM_KIND_VOTE_RECORD_OWN, allowed, error) ||
      !(vote = lookup_vote_field (meeting, data, error)))
    return FALSE;

  change->vote = vote;
  voter = author ? gremium_member_get_id (author) : NULL;

  /* ThürKO § 42: any member may have their own vote recorded — but never
   * in a secret vote, and a named vote records everyone anyway.
   */
  if (vote->type != GREMIUM_VOTE_TYPE_OPEN)
    return fail (error, GREMIUM_ERROR_INVALID_STATE,
                 "Only in an open vote can a member have their own vote recorded");

  if (voter == NULL || !gremium_vote_has_voted (vote, voter))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "Vote first, then ask for it to be recorded");

  if (g_hash_table_contains (vote->recorded, voter))
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote is recorded already");

  change->author = g_strdup (voter);
  return TRUE;
}

GremiumVoteChange *
_gremium_vote_change_prepare (GremiumMeeting    *meeting,
                              GremiumStatement  *statement,
                              GremiumMember     *author,
                              gint64             entry_time,
                              GError           **error)
{
  g_autoptr(GremiumVoteChange) change = g_new0 (GremiumVoteChange, 1);
  const char *kind = gremium_statement_get_kind (statement);
  JsonObject *data = gremium_statement_get_data (statement);
  gboolean ok;

  if (g_str_equal (kind, GREMIUM_KIND_VOTE_OPEN))
    change->kind = CHANGE_OPEN, ok = prepare_open (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_TELLER_KEY))
    change->kind = CHANGE_TELLER_KEY, ok = prepare_teller_key (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_BALLOT))
    change->kind = CHANGE_BALLOT, ok = prepare_ballot (meeting, change, author, entry_time, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_CLOSE))
    change->kind = CHANGE_CLOSE, ok = prepare_close (meeting, change, author, entry_time, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_DECRYPTION))
    change->kind = CHANGE_DECRYPTION, ok = prepare_decryption (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_LOT))
    change->kind = CHANGE_LOT, ok = prepare_lot (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_RESULT))
    change->kind = CHANGE_RESULT, ok = prepare_result (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_CANCEL))
    change->kind = CHANGE_CANCEL, ok = prepare_cancel (meeting, change, author, data, error);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_RECORD_OWN))
    change->kind = CHANGE_RECORD_OWN, ok = prepare_record_own (meeting, change, author, data, error);
  else
    ok = fail (error, GREMIUM_ERROR_UNKNOWN_TYPE, "Unknown statement kind “%s”", kind);

  if (!ok)
    {
      if (change->kind != CHANGE_OPEN)
        change->vote = NULL;
      return NULL;
    }

  return g_steal_pointer (&change);
}

void
_gremium_vote_change_apply (GremiumVoteChange  *change,
                            GremiumMeeting     *meeting,
                            GremiumRecordEntry *entry,
                            GremiumMerkleTree  *tree)
{
  GremiumVote *vote = change->vote;
  gint64 time = gremium_record_entry_get_time (entry);

  switch (change->kind)
    {
    case CHANGE_OPEN:
      if (vote->state == GREMIUM_VOTE_STATE_OPEN && vote->time_limit > 0)
        vote->deadline = time + (gint64) vote->time_limit * G_USEC_PER_SEC;
      _gremium_meeting_add_vote (meeting, vote);
      break;

    case CHANGE_TELLER_KEY:
      g_ptr_array_index (vote->teller_shares, change->teller) = g_bytes_ref (change->bytes);
      g_ptr_array_index (vote->commitments, change->teller) = g_bytes_ref (change->commitment);

      if (!g_ptr_array_find (vote->teller_shares, NULL, NULL))
        {
          g_autoptr(GError) error = NULL;

          /* Every share was checked alone; their sum is the election key. */
          vote->key = gremium_election_key_new (vote->meeting_id, vote->id,
                                                g_strv_length (vote->options),
                                                vote->type == GREMIUM_VOTE_TYPE_ELECTION ? 0 : 1, 1,
                                                vote->teller_shares, &error);
          if (vote->key == NULL)
            g_error ("Key shares that verified one by one do not combine: %s", error->message);

          vote->tally = gremium_tally_new (vote->key);
          if (vote->time_limit > 0)
            vote->deadline = time + (gint64) vote->time_limit * G_USEC_PER_SEC;
          set_state (vote, GREMIUM_VOTE_STATE_OPEN);
        }
      break;

    case CHANGE_BALLOT:
      if (change->ballot != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!gremium_tally_add_ballot (vote->tally, change->ballot, &error))
            g_error ("A verified ballot does not fit the tally: %s", error->message);
          g_hash_table_insert (vote->trackers, g_strdup (change->author),
                               gremium_ballot_dup_tracker_string (change->ballot));
          g_ptr_array_add (vote->ballots, g_object_ref (change->ballot));
          for (guint j = 0; j < gremium_ballot_get_n_options (change->ballot); j++)
            g_hash_table_add (vote->ciphertexts,
                              g_bytes_new (_gremium_ballot_get_alpha (change->ballot, j), 32));
        }
      else
        {
          g_hash_table_insert (vote->choices, g_strdup (change->author),
                               GUINT_TO_POINTER (change->choice + 1));
        }

      g_ptr_array_add (vote->voters, g_strdup (change->author));
      g_object_notify_by_pspec (G_OBJECT (vote), properties[PROP_N_BALLOTS]);

      /* The vote closes by itself when every eligible member has voted. */
      if (vote->voters->len == g_strv_length (vote->eligible))
        close_vote (vote, entry, tree);
      break;

    case CHANGE_CLOSE:
      close_vote (vote, entry, tree);
      break;

    case CHANGE_DECRYPTION:
      {
        g_autoptr(GError) error = NULL;

        if (!gremium_tally_add_decryption_share (vote->tally, change->bytes, &error))
          {
            /* prepare_decryption() checked this share on a scratch tally of
             * the same ballots; reaching this is a bug.
             */
            g_error ("A checked decryption share does not apply: %s", error->message);
          }

        g_hash_table_add (vote->decryptions, g_strdup (vote->tellers[change->teller]));
        if (g_hash_table_size (vote->decryptions) == g_strv_length (vote->tellers))
          {
            vote->counts = g_new0 (guint, g_strv_length (vote->options));
            if (!gremium_tally_get_counts (vote->tally, vote->counts, g_strv_length (vote->options),
                                           &error))
              g_error ("A tally with every verified share does not decrypt: %s", error->message);
            counts_known (vote);
          }
        break;
      }

    case CHANGE_LOT:
      g_ptr_array_index (vote->lot_values, change->teller) = g_bytes_ref (change->bytes);
      if (!g_ptr_array_find (vote->lot_values, NULL, NULL))
        {
          if (!decide_election (vote, TRUE))
            g_assert_not_reached ();
          set_state (vote, GREMIUM_VOTE_STATE_DECIDED);
        }
      break;

    case CHANGE_RESULT:
      set_state (vote, GREMIUM_VOTE_STATE_PUBLISHED);
      break;

    case CHANGE_CANCEL:
      g_free (vote->cancel_reason);
      vote->cancel_reason = g_strdup (change->text);
      set_state (vote, GREMIUM_VOTE_STATE_CANCELLED);
      break;

    case CHANGE_RECORD_OWN:
      g_hash_table_add (vote->recorded, g_strdup (change->author));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ---- Public API --------------------------------------------------------- */

/**
 * gremium_vote_type_to_string:
 * @type: a type of vote
 *
 * Returns: (transfer none): its name in the record, e.g. `"secret"`
 */
const char *
gremium_vote_type_to_string (GremiumVoteType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);

  return type_names[type];
}

/**
 * gremium_vote_type_from_string:
 * @text: a name in the record
 * @type: (out): the type
 *
 * Returns: %TRUE if @text names a type of vote
 */
gboolean
gremium_vote_type_from_string (const char      *text,
                               GremiumVoteType *type)
{
  guint value;

  if (!lookup_name (type_names, G_N_ELEMENTS (type_names), text, &value))
    return FALSE;

  *type = value;
  return TRUE;
}

/**
 * gremium_majority_to_string:
 * @majority: a majority rule
 *
 * Returns: (transfer none): its name in the record
 */
const char *
gremium_majority_to_string (GremiumMajority majority)
{
  g_return_val_if_fail ((guint) majority < G_N_ELEMENTS (majority_names), NULL);

  return majority_names[majority];
}

/**
 * gremium_majority_from_string:
 * @text: a name in the record
 * @majority: (out): the rule
 *
 * Returns: %TRUE if @text names a majority rule
 */
gboolean
gremium_majority_from_string (const char      *text,
                              GremiumMajority *majority)
{
  guint value;

  if (!lookup_name (majority_names, G_N_ELEMENTS (majority_names), text, &value))
    return FALSE;

  *majority = value;
  return TRUE;
}

/**
 * gremium_election_base_to_string:
 * @base: an election base
 *
 * Returns: (transfer none): its name in the record
 */
const char *
gremium_election_base_to_string (GremiumElectionBase base)
{
  g_return_val_if_fail ((guint) base < G_N_ELEMENTS (election_base_names), NULL);

  return election_base_names[base];
}

/**
 * gremium_election_base_from_string:
 * @text: a name in the record
 * @base: (out): the base
 *
 * Returns: %TRUE if @text names an election base
 */
gboolean
gremium_election_base_from_string (const char          *text,
                                   GremiumElectionBase *base)
{
  guint value;

  if (!lookup_name (election_base_names, G_N_ELEMENTS (election_base_names), text, &value))
    return FALSE;

  *base = value;
  return TRUE;
}

/**
 * gremium_vote_outcome_to_string:
 * @outcome: an outcome
 *
 * Returns: (transfer none): its name in the result statement
 */
const char *
gremium_vote_outcome_to_string (GremiumVoteOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), NULL);

  return outcome_names[outcome];
}

/**
 * gremium_vote_get_id:
 * @self: a vote
 *
 * Returns: (transfer none): the vote's id within the meeting
 */
const char *
gremium_vote_get_id (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->id;
}

/**
 * gremium_vote_get_vote_type:
 * @self: a vote
 *
 * Returns: how the vote is held
 */
GremiumVoteType
gremium_vote_get_vote_type (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), GREMIUM_VOTE_TYPE_OPEN);

  return self->type;
}

/**
 * gremium_vote_is_secret:
 * @self: a vote
 *
 * Returns: %TRUE for secret votes and elections
 */
gboolean
gremium_vote_is_secret (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return self->type == GREMIUM_VOTE_TYPE_SECRET || self->type == GREMIUM_VOTE_TYPE_ELECTION;
}

/**
 * gremium_vote_get_question:
 * @self: a vote
 *
 * Returns: (transfer none): the question or motion put to the vote
 */
const char *
gremium_vote_get_question (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->question;
}

/**
 * gremium_vote_get_item:
 * @self: a vote
 *
 * Returns: the agenda item the vote belongs to
 */
guint
gremium_vote_get_item (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), 0);

  return self->item;
}

/**
 * gremium_vote_get_n_options:
 * @self: a vote
 *
 * Returns: the number of options or candidates
 */
guint
gremium_vote_get_n_options (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), 0);

  return g_strv_length (self->options);
}

/**
 * gremium_vote_get_option:
 * @self: a vote
 * @index: an option's position
 *
 * For motions the first option approves and the second rejects; further
 * options (abstention) count for neither. For elections the options are the
 * candidates; a ballot that names none abstains.
 *
 * Returns: (transfer none): the option's label or the candidate's name
 */
const char *
gremium_vote_get_option (GremiumVote *self,
                         guint        index)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);
  g_return_val_if_fail (index < g_strv_length (self->options), NULL);

  return self->options[index];
}

/**
 * gremium_vote_get_eligible:
 * @self: a vote
 *
 * Returns: (transfer none): the members entitled to vote, in roster order
 */
const char * const *
gremium_vote_get_eligible (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return (const char * const *) self->eligible;
}

/**
 * gremium_vote_is_eligible:
 * @self: a vote
 * @member_id: a member
 *
 * Returns: %TRUE if the member may vote
 */
gboolean
gremium_vote_is_eligible (GremiumVote *self,
                          const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return member_id != NULL && g_strv_contains ((const char * const *) self->eligible, member_id);
}

/**
 * gremium_vote_get_tellers:
 * @self: a vote
 *
 * Returns: (transfer none): the tellers of a secret vote (empty otherwise)
 */
const char * const *
gremium_vote_get_tellers (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return (const char * const *) self->tellers;
}

/**
 * gremium_vote_is_teller:
 * @self: a vote
 * @member_id: a member
 *
 * Returns: %TRUE if the member is one of the vote's tellers
 */
gboolean
gremium_vote_is_teller (GremiumVote *self,
                        const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return member_id != NULL && g_strv_contains ((const char * const *) self->tellers, member_id);
}

/**
 * gremium_vote_get_majority:
 * @self: a vote
 *
 * Returns: the majority the vote needs
 */
GremiumMajority
gremium_vote_get_majority (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), GREMIUM_MAJORITY_SIMPLE);

  return self->majority;
}

/**
 * gremium_vote_get_runoff_of:
 * @self: a vote
 *
 * Returns: (transfer none) (nullable): for a runoff, the election it follows
 */
const char *
gremium_vote_get_runoff_of (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->runoff_of;
}

/**
 * gremium_vote_get_deadline:
 * @self: a vote
 *
 * Returns: when voting ends, or 0 without a time limit (or before a secret
 *   vote's key is complete)
 */
gint64
gremium_vote_get_deadline (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), 0);

  return self->deadline;
}

/**
 * gremium_vote_get_state:
 * @self: a vote
 *
 * Returns: where the vote stands
 */
GremiumVoteState
gremium_vote_get_state (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), GREMIUM_VOTE_STATE_CANCELLED);

  return self->state;
}

/**
 * gremium_vote_has_voted:
 * @self: a vote
 * @member_id: a member
 *
 * Who has voted is public in every kind of vote (turnout); how, only in open
 * and named votes.
 *
 * Returns: %TRUE if the member's ballot is in the record
 */
gboolean
gremium_vote_has_voted (GremiumVote *self,
                        const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return member_id != NULL &&
         (g_hash_table_contains (self->choices, member_id) ||
          g_hash_table_contains (self->trackers, member_id));
}

/**
 * gremium_vote_get_n_ballots:
 * @self: a vote
 *
 * Returns: the number of ballots cast
 */
guint
gremium_vote_get_n_ballots (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), 0);

  return self->voters->len;
}

/**
 * gremium_vote_dup_voters:
 * @self: a vote
 *
 * Returns: (transfer full): the members who voted, in the order they did
 */
char **
gremium_vote_dup_voters (GremiumVote *self)
{
  GStrvBuilder *builder;
  char **out;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->voters->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->voters, i));
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return out;
}

/**
 * gremium_vote_get_choice:
 * @self: an open or named vote
 * @member_id: a member
 *
 * Returns: the option the member chose, or -1 (not voted, or a secret vote)
 */
gint
gremium_vote_get_choice (GremiumVote *self,
                         const char  *member_id)
{
  gpointer value;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), -1);

  if (member_id == NULL || !g_hash_table_lookup_extended (self->choices, member_id, NULL, &value))
    return -1;

  return GPOINTER_TO_INT (value) - 1;
}

/**
 * gremium_vote_dup_tracker:
 * @self: a secret vote
 * @member_id: a member who voted
 *
 * Returns: (transfer full) (nullable): the tracker (ballot hash) of the
 *   member's encrypted ballot
 */
char *
gremium_vote_dup_tracker (GremiumVote *self,
                          const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return member_id ? g_strdup (g_hash_table_lookup (self->trackers, member_id)) : NULL;
}

/**
 * gremium_vote_has_teller_key:
 * @self: a vote
 * @teller_id: a teller
 *
 * Returns: %TRUE once the teller's key share is in the record
 */
gboolean
gremium_vote_has_teller_key (GremiumVote *self,
                             const char  *teller_id)
{
  gint index;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  index = teller_id ? strv_index (self->tellers, teller_id) : -1;
  return index >= 0 && g_ptr_array_index (self->teller_shares, index) != NULL;
}

/**
 * gremium_vote_has_decryption:
 * @self: a vote
 * @teller_id: a teller
 *
 * Returns: %TRUE once the teller's decryption share is in the record
 */
gboolean
gremium_vote_has_decryption (GremiumVote *self,
                             const char  *teller_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return teller_id != NULL && g_hash_table_contains (self->decryptions, teller_id);
}

/**
 * gremium_vote_has_lot_value:
 * @self: a vote
 * @teller_id: a teller
 *
 * Returns: %TRUE once the teller revealed the lot value
 */
gboolean
gremium_vote_has_lot_value (GremiumVote *self,
                            const char  *teller_id)
{
  gint index;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  index = teller_id ? strv_index (self->tellers, teller_id) : -1;
  return index >= 0 && g_ptr_array_index (self->lot_values, index) != NULL;
}

/**
 * gremium_vote_get_election_key:
 * @self: a secret vote
 *
 * Returns: (transfer none) (nullable): the election key, once every teller
 *   delivered a share
 */
GremiumElectionKey *
gremium_vote_get_election_key (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->key;
}

/**
 * gremium_vote_get_tally:
 * @self: a secret vote
 *
 * Returns: (transfer none) (nullable): the homomorphic tally of the verified
 *   ballots, which the tellers decrypt
 */
GremiumTally *
gremium_vote_get_tally (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->tally;
}

/**
 * gremium_vote_get_counts:
 * @self: a vote
 *
 * Returns: (transfer none) (nullable) (array): the count per option, once
 *   known (see gremium_vote_get_n_options())
 */
const guint *
gremium_vote_get_counts (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  return self->counts;
}

/**
 * gremium_vote_get_outcome:
 * @self: a vote
 *
 * Returns: what the vote decided, or %GREMIUM_VOTE_OUTCOME_NONE
 */
GremiumVoteOutcome
gremium_vote_get_outcome (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), GREMIUM_VOTE_OUTCOME_NONE);

  if (self->state < GREMIUM_VOTE_STATE_DECIDED || self->state == GREMIUM_VOTE_STATE_CANCELLED)
    return GREMIUM_VOTE_OUTCOME_NONE;

  return self->outcome;
}

/**
 * gremium_vote_get_elected:
 * @self: an election
 *
 * Returns: the elected candidate's option index, or -1
 */
gint
gremium_vote_get_elected (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), -1);

  return gremium_vote_get_outcome (self) == GREMIUM_VOTE_OUTCOME_ELECTED ? self->elected : -1;
}

/**
 * gremium_vote_get_runoff:
 * @self: an election
 * @first: (out) (optional): the first runoff candidate's option index
 * @second: (out) (optional): the second runoff candidate's option index
 *
 * Returns: %TRUE if the election ends in a runoff
 */
gboolean
gremium_vote_get_runoff (GremiumVote *self,
                         guint       *first,
                         guint       *second)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  if (gremium_vote_get_outcome (self) != GREMIUM_VOTE_OUTCOME_RUNOFF)
    return FALSE;

  if (first != NULL)
    *first = self->runoff[0];
  if (second != NULL)
    *second = self->runoff[1];

  return TRUE;
}

/**
 * gremium_vote_get_decided_by_lot:
 * @self: a vote
 *
 * Returns: %TRUE if a lot decided a tie in this vote
 */
gboolean
gremium_vote_get_decided_by_lot (GremiumVote *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return self->by_lot;
}

/**
 * gremium_vote_wants_recorded:
 * @self: an open vote
 * @member_id: a member
 *
 * Returns: %TRUE if the member asked for their vote to be in the minutes
 */
gboolean
gremium_vote_wants_recorded (GremiumVote *self,
                             const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE (self), FALSE);

  return member_id != NULL && g_hash_table_contains (self->recorded, member_id);
}

typedef struct
{
  const char *type[4];
  const char *members, *entitled, *eligible, *abstentions, *not_voted, *excluded, *majority, *result;
  const char *rule[4];
  const char *election_rule[2];
  const char *runoff_rule;
  const char *adopted, *rejected, *elected, *runoff, *not_elected, *and, *by_lot;
} Wording;

/* The minutes' wording in both languages. It is part of the record (the
 * result statement must carry exactly this text), so changing a word here
 * changes the format: docs/voting.md lists it.
 */
static const Wording wording_de = {
  { "offen", "namentlich", "geheim", "geheime Wahl" },
  "Mitglieder", "Stimmberechtigt", "anwesend und stimmberechtigt", "Enthaltungen",
  "nicht abgestimmt", "von der Abstimmung ausgeschlossen (§ 38)", "Mehrheit", "Ergebnis",
  { "einfache Mehrheit", "Mehrheit der Mitglieder", "Zweidrittelmehrheit", "" },
  { "mehr als die Hälfte der Stimmen der anwesenden Stimmberechtigten",
    "mehr als die Hälfte der gültigen Stimmen" },
  "Stichwahl, die meisten Stimmen",
  "angenommen", "abgelehnt", "gewählt ist", "Stichwahl zwischen", "niemand gewählt", "und",
  "durch Los entschieden",
};

static const Wording wording_en = {
  { "open", "roll-call", "secret", "secret election" },
  "Members", "Entitled to vote", "Present and entitled", "Abstentions",
  "Did not vote", "Excluded from the vote (§ 38)", "Majority", "Result",
  { "simple majority", "majority of the members", "two-thirds majority", "" },
  { "more than half of the votes of the members present and entitled",
    "more than half of the valid votes" },
  "runoff, most votes",
  "adopted", "rejected", "elected:", "runoff between", "nobody elected", "and",
  "decided by lot",
};

/**
 * gremium_vote_format_result:
 * @self: a decided vote
 * @language: `"de"` or `"en"`
 *
 * Formats the result as the minutes state it, for example
 * `Stimmabgabe: geheim | Mitglieder: 21 | Stimmberechtigt: 20 | …`.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL before the vote is decided
 */
char *
gremium_vote_format_result (GremiumVote *self,
                            const char  *language)
{
  const Wording *w;
  GString *out;
  guint n_options;
  guint sum = 0;
  guint n_eligible;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);
  g_return_val_if_fail (language != NULL, NULL);

  if (gremium_vote_get_outcome (self) == GREMIUM_VOTE_OUTCOME_NONE)
    return NULL;

  w = g_str_equal (language, "de") ? &wording_de : &wording_en;
  n_options = g_strv_length (self->options);
  n_eligible = g_strv_length (self->eligible);
  out = g_string_new (NULL);

  g_string_append_printf (out, "%s: %s | %s: %u | %s: %u | %s: %u",
                          g_str_equal (language, "de") ? "Stimmabgabe" : "Vote",
                          w->type[self->type], w->members, self->n_members, w->entitled,
                          self->n_members - self->n_excluded, w->eligible, n_eligible);

  for (guint i = 0; i < n_options; i++)
    {
      g_string_append_printf (out, " | %s: %u", self->options[i], self->counts[i]);
      sum += self->counts[i];
    }

  if (self->type == GREMIUM_VOTE_TYPE_ELECTION)
    g_string_append_printf (out, " | %s: %u", w->abstentions, self->voters->len - sum);

  g_string_append_printf (out, " | %s: %u | %s: %u | %s: %s | %s: ",
                          w->not_voted, n_eligible - self->voters->len,
                          w->excluded, self->n_excluded,
                          w->majority,
                          self->type != GREMIUM_VOTE_TYPE_ELECTION ? w->rule[self->majority]
                          : self->runoff_of != NULL ? w->runoff_rule
                          : w->election_rule[self->election_base],
                          w->result);

  switch (self->outcome)
    {
    case GREMIUM_VOTE_OUTCOME_ADOPTED:
      g_string_append (out, w->adopted);
      break;

    case GREMIUM_VOTE_OUTCOME_REJECTED:
      g_string_append (out, w->rejected);
      break;

    case GREMIUM_VOTE_OUTCOME_ELECTED:
      g_string_append_printf (out, "%s %s", w->elected, self->options[self->elected]);
      break;

    case GREMIUM_VOTE_OUTCOME_RUNOFF:
      g_string_append_printf (out, "%s %s %s %s", w->runoff, self->options[self->runoff[0]],
                              w->and, self->options[self->runoff[1]]);
      break;

    case GREMIUM_VOTE_OUTCOME_NOT_ELECTED:
      g_string_append (out, w->not_elected);
      break;

    case GREMIUM_VOTE_OUTCOME_NONE:
    default:
      g_assert_not_reached ();
    }

  if (self->by_lot)
    g_string_append_printf (out, " (%s)", w->by_lot);

  return g_string_free (out, FALSE);
}

/**
 * gremium_vote_build_result:
 * @self: a decided vote
 *
 * Builds the data of the `vote.result` statement: every figure the minutes
 * need and the wording in German and English (docs/voting.md). The meeting
 * model accepts a result statement only with exactly this data.
 *
 * Returns: (transfer full) (nullable): the data, or %NULL before the vote is decided
 */
JsonObject *
gremium_vote_build_result (GremiumVote *self)
{
  g_autoptr(JsonArray) counts = json_array_new ();
  g_autoptr(JsonObject) text = json_object_new ();
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;
  JsonObject *data;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);

  if (gremium_vote_get_outcome (self) == GREMIUM_VOTE_OUTCOME_NONE)
    return NULL;

  for (guint i = 0; self->options[i] != NULL; i++)
    json_array_add_int_element (counts, self->counts[i]);

  de = gremium_vote_format_result (self, "de");
  en = gremium_vote_format_result (self, "en");
  json_object_set_string_member (text, "de", de);
  json_object_set_string_member (text, "en", en);

  data = json_object_new ();
  json_object_set_string_member (data, "vote", self->id);
  json_object_set_string_member (data, "type", type_names[self->type]);
  json_object_set_array_member (data, "counts", g_steal_pointer (&counts));
  json_object_set_int_member (data, "ballots", self->voters->len);
  json_object_set_int_member (data, "members", self->n_members);
  json_object_set_int_member (data, "entitled", self->n_members - self->n_excluded);
  json_object_set_int_member (data, "eligible", g_strv_length (self->eligible));
  json_object_set_int_member (data, "excluded", self->n_excluded);
  json_object_set_string_member (data, "majority", majority_names[self->majority]);
  json_object_set_string_member (data, "outcome", outcome_names[self->outcome]);
  if (self->outcome == GREMIUM_VOTE_OUTCOME_ELECTED)
    json_object_set_int_member (data, "elected", self->elected);
  if (self->outcome == GREMIUM_VOTE_OUTCOME_RUNOFF)
    {
      JsonArray *runoff = json_array_new ();

      json_array_add_int_element (runoff, self->runoff[0]);
      json_array_add_int_element (runoff, self->runoff[1]);
      json_object_set_array_member (data, "runoff", runoff);
    }
  json_object_set_boolean_member (data, "lot", self->by_lot);
  json_object_set_object_member (data, "text", g_steal_pointer (&text));

  return data;
}

/**
 * gremium_vote_build_ballot:
 * @self: a vote that accepts ballots
 * @voter_id: the voting member
 * @choices: (array length=n_choices): for each option 1 if chosen, else 0
 * @n_choices: the number of options
 * @tracker: (out) (optional) (transfer full): the ballot's tracker, for
 *   secret votes
 * @error: return location for an error
 *
 * Builds the data of a `vote.ballot` statement. In an open or named vote
 * exactly one option is chosen. In a secret vote the choices are encrypted
 * for the election key with proofs that each is 0 or 1 and that they sum to
 * what the vote allows (one option for a motion; at most one candidate in an
 * election, none meaning abstention); the tracker lets the voter find the
 * ballot in the record.
 *
 * Returns: (transfer full) (nullable): the statement data
 */
JsonObject *
gremium_vote_build_ballot (GremiumVote   *self,
                           const char    *voter_id,
                           const guint8  *choices,
                           guint          n_choices,
                           char         **tracker,
                           GError       **error)
{
  JsonObject *data;

  g_return_val_if_fail (GREMIUM_IS_VOTE (self), NULL);
  g_return_val_if_fail (voter_id != NULL, NULL);
  g_return_val_if_fail (choices != NULL, NULL);

  if (n_choices != g_strv_length (self->options))
    {
      fail (error, GREMIUM_ERROR_INVALID_FIELD, "The vote has %u options", g_strv_length (self->options));
      return NULL;
    }

  if (self->state != GREMIUM_VOTE_STATE_OPEN)
    {
      fail (error, GREMIUM_ERROR_INVALID_STATE, "The vote does not accept ballots now");
      return NULL;
    }

  data = json_object_new ();
  json_object_set_string_member (data, "vote", self->id);

  if (!gremium_vote_is_secret (self))
    {
      gint choice = -1;

      for (guint i = 0; i < n_choices; i++)
        {
          if (choices[i] > 1 || (choices[i] == 1 && choice >= 0))
            {
              json_object_unref (data);
              fail (error, GREMIUM_ERROR_INVALID_FIELD, "Choose exactly one option");
              return NULL;
            }
          if (choices[i] == 1)
            choice = i;
        }

      if (choice < 0)
        {
          json_object_unref (data);
          fail (error, GREMIUM_ERROR_INVALID_FIELD, "Choose exactly one option");
          return NULL;
        }

      json_object_set_int_member (data, "choice", choice);
    }
  else
    {
      g_autoptr(GremiumBallot) ballot = NULL;
      g_autofree char *text = NULL;
      gsize len;
      const guint8 *bytes;

      ballot = gremium_ballot_encrypt (self->key, voter_id, choices, n_choices, error);
      if (ballot == NULL)
        {
          json_object_unref (data);
          return NULL;
        }

      bytes = g_bytes_get_data (gremium_ballot_get_bytes (ballot), &len);
      text = gremium_base64_encode (bytes, len);
      json_object_set_string_member (data, "ballot", text);

      if (tracker != NULL)
        *tracker = gremium_ballot_dup_tracker_string (ballot);
    }

  return data;
}
