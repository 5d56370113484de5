/* gremium-meeting.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-meeting.h"
#include "gremium-agenda-item-private.h"
#include "gremium-chat-message-private.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-meeting-private.h"
#include "gremium-member-private.h"
#include "gremium-merkle-tree.h"
#include "gremium-speaker-request-private.h"
#include "gremium-vote-private.h"

#include <string.h>

/**
 * GremiumMeeting:
 *
 * The state of one meeting, computed from its record.
 *
 * The same code runs in three places: the server keeps the authoritative copy
 * and asks gremium_meeting_check() before it makes a statement durable; every
 * client mirrors the meeting by applying the entries the server sends; and
 * the offline verifier replays an exported record. Because the state is a
 * pure function of the record, all three agree on who was present, which
 * item was current and who had the floor, and all three refuse the same
 * statements for the same reasons.
 *
 * Applying an entry verifies its signature against the roster (or the
 * server's key for statements the server makes), its place in the log, its
 * time, that it is not a replay, that its author may do what it says, and
 * that it fits the current state. An entry that fails changes nothing.
 */
struct _GremiumMeeting
{
  GObject            parent_instance;

  guint8             server_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint64            n_entries;
  gint64             last_time;
  GHashTable        *seen_nonces;       /* "author\nnonce" */

  char              *id;
  char              *title;
  char              *body_name;
  char              *place;
  char              *server_name;
  gint64             scheduled;
  gboolean           opened;
  gboolean           closed;
  GremiumQuorumBase  quorum_base;

  GListStore        *members;
  GHashTable        *members_by_id;     /* id → GremiumMember (borrowed) */
  GListStore        *agenda;
  guint              current_item;      /* 0 for none */
  GListStore        *speakers;
  char              *current_speaker;
  gint64             speaker_since;
  guint              speaker_limit;
  GListStore        *chat;

  GListStore        *votes;
  GHashTable        *votes_by_id;       /* id → GremiumVote (borrowed) */
  GremiumVote       *current_vote;      /* the vote in progress, borrowed */
  GremiumElectionBase election_base;

  /* The meeting's own Merkle tree, for the lot of an election tie, which
   * draws on the record's root at the vote's close.
   */
  GremiumMerkleTree *tree;
};

G_DEFINE_FINAL_TYPE (GremiumMeeting, gremium_meeting, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_ENTRIES,
  PROP_OPENED,
  PROP_CLOSED,
  PROP_CURRENT_ITEM,
  PROP_CURRENT_SPEAKER,
  PROP_QUORUM_REACHED,
  N_PROPS
};

enum {
  ENTRY_APPLIED,
  MUTE_REQUESTED,
  QUORUM_CONFIRMED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  ACTION_MEETING_CREATE,
  ACTION_MEETING_OPEN,
  ACTION_MEETING_CLOSE,
  ACTION_ROSTER_KEY_ADD,
  ACTION_ROSTER_KEY_REVOKE,
  ACTION_ATTENDANCE_JOIN,
  ACTION_ATTENDANCE_LEAVE,
  ACTION_LOBBY_ADMIT,
  ACTION_LOBBY_DENY,
  ACTION_AGENDA_SELECT,
  ACTION_AGENDA_VISIBILITY,
  ACTION_AGENDA_ADD,
  ACTION_CONFLICT_DECLARE,
  ACTION_CONFLICT_WITHDRAW,
  ACTION_SPEAKERS_REQUEST,
  ACTION_SPEAKERS_WITHDRAW,
  ACTION_SPEAKERS_GRANT,
  ACTION_SPEAKERS_FINISH,
  ACTION_MUTE_REQUEST,
  ACTION_QUORUM_CONFIRM,
  ACTION_CHAT_MESSAGE,
  ACTION_VOTE,
} ActionKind;

/* The outcome of validating a statement: everything needed to perform it,
 * so that performing cannot fail and validating changes nothing.
 */
typedef struct
{
  ActionKind          kind;
  GremiumStatement   *statement;
  GremiumMember      *author;           /* NULL for the server */
  GremiumMember      *target;
  GremiumAgendaItem  *item;
  const char         *text;
  gboolean            flag;
  GremiumSpeechKind   speech_kind;
  guint               limit;
  guint8              key[GREMIUM_PUBLIC_KEY_SIZE];

  /* meeting.create only: the parsed roster and agenda. */
  GPtrArray          *new_members;
  GPtrArray          *new_agenda;
  const char         *title;
  const char         *body_name;
  const char         *place;
  const char         *server_name;
  gint64              scheduled;
  GremiumQuorumBase   quorum_base;
  GremiumElectionBase election_base;

  /* vote.* statements: validated in gremium-vote.c. */
  GremiumVoteChange  *vote_change;
} Action;

static void
action_clear (Action *action)
{
  g_clear_pointer (&action->vote_change, _gremium_vote_change_free);
  g_clear_pointer (&action->new_members, g_ptr_array_unref);
  g_clear_pointer (&action->new_agenda, g_ptr_array_unref);
}

static const struct {
  const char *name;
  ActionKind  kind;
} action_kinds[] = {
  { GREMIUM_KIND_MEETING_CREATE, ACTION_MEETING_CREATE },
  { GREMIUM_KIND_MEETING_OPEN, ACTION_MEETING_OPEN },
  { GREMIUM_KIND_MEETING_CLOSE, ACTION_MEETING_CLOSE },
  { GREMIUM_KIND_ROSTER_KEY_ADD, ACTION_ROSTER_KEY_ADD },
  { GREMIUM_KIND_ROSTER_KEY_REVOKE, ACTION_ROSTER_KEY_REVOKE },
  { GREMIUM_KIND_ATTENDANCE_JOIN, ACTION_ATTENDANCE_JOIN },
  { GREMIUM_KIND_ATTENDANCE_LEAVE, ACTION_ATTENDANCE_LEAVE },
  { GREMIUM_KIND_LOBBY_ADMIT, ACTION_LOBBY_ADMIT },
  { GREMIUM_KIND_LOBBY_DENY, ACTION_LOBBY_DENY },
  { GREMIUM_KIND_AGENDA_SELECT, ACTION_AGENDA_SELECT },
  { GREMIUM_KIND_AGENDA_VISIBILITY, ACTION_AGENDA_VISIBILITY },
  { GREMIUM_KIND_AGENDA_ADD, ACTION_AGENDA_ADD },
  { GREMIUM_KIND_CONFLICT_DECLARE, ACTION_CONFLICT_DECLARE },
  { GREMIUM_KIND_CONFLICT_WITHDRAW, ACTION_CONFLICT_WITHDRAW },
  { GREMIUM_KIND_SPEAKERS_REQUEST, ACTION_SPEAKERS_REQUEST },
  { GREMIUM_KIND_SPEAKERS_WITHDRAW, ACTION_SPEAKERS_WITHDRAW },
  { GREMIUM_KIND_SPEAKERS_GRANT, ACTION_SPEAKERS_GRANT },
  { GREMIUM_KIND_SPEAKERS_FINISH, ACTION_SPEAKERS_FINISH },
  { GREMIUM_KIND_MUTE_REQUEST, ACTION_MUTE_REQUEST },
  { GREMIUM_KIND_QUORUM_CONFIRM, ACTION_QUORUM_CONFIRM },
  { GREMIUM_KIND_CHAT_MESSAGE, ACTION_CHAT_MESSAGE },
};

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

static const char *
statement_kind_name (Action *action)
{
  return gremium_statement_get_kind (action->statement);
}

static gboolean
check_data_members (JsonObject          *data,
                    const char          *kind,
                    const char * const  *allowed,
                    GError             **error)
{
  g_autofree char *context = g_strdup_printf ("the data of “%s”", kind);

  return _gremium_json_check_members (data, context, allowed, error);
}

static GremiumMember *
lookup_target (GremiumMeeting  *self,
               JsonObject      *data,
               GError         **error)
{
  const char *member_id = _gremium_json_get_string (data, "member", 64, error);
  GremiumMember *member;

  if (member_id == NULL)
    return NULL;

  member = g_hash_table_lookup (self->members_by_id, member_id);
  if (member == NULL)
    fail (error, GREMIUM_ERROR_UNKNOWN_MEMBER, "“%s” is not on the meeting's roster", member_id);

  return member;
}

static GremiumAgendaItem *
lookup_item_field (GremiumMeeting  *self,
                   JsonObject      *data,
                   GError         **error)
{
  GremiumAgendaItem *item;
  gint64 item_id;

  if (!_gremium_json_get_int (data, "item", 1, G_MAXUINT, &item_id, error))
    return NULL;

  item = gremium_meeting_lookup_item (self, (guint) item_id);
  if (item == NULL)
    fail (error, GREMIUM_ERROR_INVALID_STATE,
          "The agenda has no item %" G_GINT64_FORMAT, item_id);

  return item;
}

static gboolean
require_chair (GremiumMeeting  *self,
               Action          *action,
               GError         **error)
{
  if (action->author == NULL ||
      !gremium_meeting_has_chair_powers (self, gremium_member_get_id (action->author)))
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                 "Only the chair may do this (“%s”)",
                 gremium_statement_get_kind (action->statement));

  return TRUE;
}

static gboolean
require_present (GremiumMember  *member,
                 GError        **error)
{
  if (member == NULL || gremium_member_get_presence (member) != GREMIUM_PRESENCE_PRESENT)
    return fail (error, GREMIUM_ERROR_NOT_PARTICIPANT,
                 "%s is not present in the meeting",
                 member ? gremium_member_get_id (member) : "The server");

  return TRUE;
}

static gboolean
require_member_author (Action  *action,
                       GError **error)
{
  if (action->author == NULL)
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                 "The server cannot make a “%s” statement",
                 gremium_statement_get_kind (action->statement));

  return TRUE;
}

static GremiumSpeakerRequest *
find_speaker_request (GremiumMeeting    *self,
                      const char        *member_id,
                      GremiumSpeechKind  kind,
                      guint             *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->speakers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (G_LIST_MODEL (self->speakers), i);

      if (gremium_speaker_request_get_kind (request) == kind &&
          g_str_equal (gremium_speaker_request_get_member_id (request), member_id))
        {
          if (position != NULL)
            *position = i;
          return request;
        }
    }

  return NULL;
}

static gboolean
parse_key_field (JsonObject  *data,
                 guint8       key[GREMIUM_PUBLIC_KEY_SIZE],
                 GError     **error)
{
  const char *text = _gremium_json_get_string (data, "key", 64, error);

  if (text == NULL)
    return FALSE;

  if (!gremium_base64_decode_exact (text, key, GREMIUM_PUBLIC_KEY_SIZE, error))
    {
      g_prefix_error (error, "The field “key”: ");
      return FALSE;
    }

  if (!gremium_public_key_is_valid (key))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The field “key” is not a usable Ed25519 key");

  return TRUE;
}

static gboolean
validate_create (GremiumMeeting  *self,
                 Action          *action,
                 JsonObject      *data,
                 GError         **error)
{
  static const char * const allowed[] = {
    "title", "body", "place", "scheduled", "server", "rules", "members", "agenda", NULL
  };
  static const char * const rules_allowed[] = { "quorum_base", "election_base", NULL };
  static const char * const member_allowed[] = { "id", "name", "role", "keys", NULL };
  static const char * const item_allowed[] = { "id", "title", "public", NULL };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *scheduled;
  const char *quorum_base;
  JsonObject *rules;
  JsonArray *members;
  JsonArray *agenda;
  guint n_chairs = 0;

  if (action->author != NULL)
    return fail (error, GREMIUM_ERROR_PERMISSION_DENIED, "Only the server creates a meeting");

  if (!check_data_members (data, GREMIUM_KIND_MEETING_CREATE, allowed, error) ||
      !(action->title = _gremium_json_get_string (data, "title", GREMIUM_MAX_TITLE_LENGTH, error)) ||
      !(action->body_name = _gremium_json_get_string (data, "body", GREMIUM_MAX_NAME_LENGTH, error)) ||
      !(action->place = _gremium_json_get_string (data, "place", GREMIUM_MAX_NAME_LENGTH, error)) ||
      !(scheduled = _gremium_json_get_string (data, "scheduled", 32, error)) ||
      !(action->server_name = _gremium_json_get_string (data, "server", 253, error)) ||
      !(rules = _gremium_json_get_object (data, "rules", error)) ||
      !check_data_members (rules, "rules", rules_allowed, error) ||
      !(quorum_base = _gremium_json_get_string (rules, "quorum_base", 64, error)) ||
      !(members = _gremium_json_get_array (data, "members", GREMIUM_MAX_ROSTER_SIZE, error)) ||
      !(agenda = _gremium_json_get_array (data, "agenda", GREMIUM_MAX_AGENDA_SIZE, error)))
    return FALSE;

  if (action->title[0] == '\0')
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The meeting needs a title");

  if (!gremium_time_parse (scheduled, &action->scheduled))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The field “scheduled” is not a valid time");

  if (!gremium_quorum_base_from_string (quorum_base, &action->quorum_base))
    return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown quorum base “%s”", quorum_base);

  /* Optional, so that records written before elections existed stay valid. */
  action->election_base = GREMIUM_ELECTION_BASE_ELIGIBLE;
  if (json_object_has_member (rules, "election_base"))
    {
      const char *election_base = _gremium_json_get_string (rules, "election_base", 64, error);

      if (election_base == NULL)
        return FALSE;
      if (!gremium_election_base_from_string (election_base, &action->election_base))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown election base “%s”", election_base);
    }

  action->new_members = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonNode *node = json_array_get_element (members, i);
      g_autoptr(GremiumMember) member = NULL;
      const char *id;
      const char *name;
      const char *role_text;
      JsonArray *keys;
      GremiumRole role;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Roster entry %u is not an object", i);

      object = json_node_get_object (node);
      if (!check_data_members (object, "a roster entry", member_allowed, error) ||
          !(id = _gremium_json_get_string (object, "id", 64, error)) ||
          !(name = _gremium_json_get_string (object, "name", GREMIUM_MAX_NAME_LENGTH, error)) ||
          !(role_text = _gremium_json_get_string (object, "role", 32, error)) ||
          !(keys = _gremium_json_get_array (object, "keys", GREMIUM_MAX_KEYS_PER_MEMBER, error)))
        return FALSE;

      if (!_gremium_id_is_valid (id))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "“%s” is not a valid member id", id);

      if (g_hash_table_contains (ids, id))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "The roster lists “%s” twice", id);
      g_hash_table_add (ids, (gpointer) id);

      if (!gremium_role_from_string (role_text, &role))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown role “%s”", role_text);

      if (role == GREMIUM_ROLE_CHAIR)
        n_chairs++;

      member = _gremium_member_new (id, name, role);
      for (guint k = 0; k < json_array_get_length (keys); k++)
        {
          JsonNode *key_node = json_array_get_element (keys, k);
          guint8 key[GREMIUM_PUBLIC_KEY_SIZE];

          if (!JSON_NODE_HOLDS_VALUE (key_node) ||
              json_node_get_value_type (key_node) != G_TYPE_STRING ||
              !gremium_base64_decode_exact (json_node_get_string (key_node), key, sizeof key, NULL) ||
              !gremium_public_key_is_valid (key))
            return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                         "Key %u of “%s” is not a usable Ed25519 key", k, id);

          _gremium_member_add_key (member, key);
        }

      g_ptr_array_add (action->new_members, g_steal_pointer (&member));
    }

  if (n_chairs != 1)
    return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                 "The roster must name exactly one chair, not %u", n_chairs);

  action->new_agenda = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (agenda); i++)
    {
      JsonNode *node = json_array_get_element (agenda, i);
      const char *item_title;
      JsonObject *object;
      gboolean is_public;
      gint64 item_id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Agenda item %u is not an object", i);

      object = json_node_get_object (node);
      if (!check_data_members (object, "an agenda item", item_allowed, error) ||
          !_gremium_json_get_int (object, "id", 1, GREMIUM_MAX_AGENDA_SIZE, &item_id, error) ||
          !(item_title = _gremium_json_get_string (object, "title", GREMIUM_MAX_TITLE_LENGTH, error)) ||
          !_gremium_json_get_bool (object, "public", &is_public, error))
        return FALSE;

      /* Items are numbered 1, 2, 3… in order, so a number in the minutes
       * always means the same item.
       */
      if (item_id != i + 1)
        return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                     "Agenda items must be numbered 1, 2, 3… in order");

      g_ptr_array_add (action->new_agenda,
                       _gremium_agenda_item_new ((guint) item_id, item_title, is_public));
    }

  return TRUE;
}

static gboolean
validate_action (GremiumMeeting  *self,
                 Action          *action,
                 GError         **error)
{
  GremiumStatement *statement = action->statement;
  JsonObject *data = gremium_statement_get_data (statement);
  const char *author_id;

  author_id = action->author ? gremium_member_get_id (action->author) : NULL;

  /* Nothing changes in a closed meeting; its record is final. */
  if (self->closed)
    return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting is closed");

  switch (action->kind)
    {
    case ACTION_MEETING_CREATE:
      return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting was already created");

    case ACTION_MEETING_OPEN:
      {
        static const char * const allowed[] = { NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error))
          return FALSE;

        if (self->opened)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting is already open");

        return TRUE;
      }

    case ACTION_MEETING_CLOSE:
      {
        static const char * const allowed[] = { NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error))
          return FALSE;

        if (!self->opened)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting was never opened");

        if (_gremium_meeting_get_current_vote (self) != NULL)
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "Vote “%s” is not finished; publish or cancel it first",
                       gremium_vote_get_id (self->current_vote));

        return TRUE;
      }

    case ACTION_ROSTER_KEY_ADD:
    case ACTION_ROSTER_KEY_REVOKE:
      {
        static const char * const allowed[] = { "member", "key", NULL };

        if (action->author != NULL)
          return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                       "Only the server changes the roster's keys");

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !(action->target = lookup_target (self, data, error)) ||
            !parse_key_field (data, action->key, error))
          return FALSE;

        if (action->kind == ACTION_ROSTER_KEY_ADD)
          {
            if (gremium_member_has_key (action->target, action->key))
              return fail (error, GREMIUM_ERROR_INVALID_STATE, "The key is already enrolled");
            if (gremium_member_get_n_keys (action->target) >= GREMIUM_MAX_KEYS_PER_MEMBER)
              return fail (error, GREMIUM_ERROR_INVALID_STATE,
                           "A member may have at most %d device keys", GREMIUM_MAX_KEYS_PER_MEMBER);
          }
        else if (!gremium_member_has_key (action->target, action->key))
          {
            return fail (error, GREMIUM_ERROR_INVALID_STATE, "The key is not enrolled");
          }

        return TRUE;
      }

    case ACTION_ATTENDANCE_JOIN:
      {
        static const char * const allowed[] = { NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_member_author (action, error))
          return FALSE;

        if (gremium_member_get_presence (action->author) != GREMIUM_PRESENCE_ABSENT)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s has already joined", author_id);

        return TRUE;
      }

    case ACTION_ATTENDANCE_LEAVE:
      {
        static const char * const allowed[] = { "member", "reason", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !(action->target = lookup_target (self, data, error)) ||
            !(action->text = _gremium_json_get_string (data, "reason", 32, error)))
          return FALSE;

        /* A member leaves by their own statement; the server witnesses a lost
         * connection. Nobody else can make a member leave this way.
         */
        if (action->author == NULL)
          {
            if (!g_str_equal (action->text, "connection-lost"))
              return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                           "The server records only the reason “connection-lost”");
          }
        else
          {
            if (action->author != action->target)
              return fail (error, GREMIUM_ERROR_PERMISSION_DENIED,
                           "Members can only record their own leaving");
            if (!g_str_equal (action->text, "left"))
              return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                           "A member's own leave has the reason “left”");
          }

        if (gremium_member_get_presence (action->target) == GREMIUM_PRESENCE_ABSENT)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s is not in the meeting",
                       gremium_member_get_id (action->target));

        return TRUE;
      }

    case ACTION_LOBBY_ADMIT:
    case ACTION_LOBBY_DENY:
      {
        static const char * const allowed[] = { "member", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !(action->target = lookup_target (self, data, error)))
          return FALSE;

        if (gremium_member_get_presence (action->target) != GREMIUM_PRESENCE_LOBBY)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s is not waiting in the lobby",
                       gremium_member_get_id (action->target));

        return TRUE;
      }

    case ACTION_AGENDA_SELECT:
      {
        static const char * const allowed[] = { "item", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !(action->item = lookup_item_field (self, data, error)))
          return FALSE;

        if (!self->opened)
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "The meeting must be opened before an item is called");

        /* A vote belongs to its item; the debate moves on when it is done. */
        if (_gremium_meeting_get_current_vote (self) != NULL)
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "Vote “%s” is not finished; publish or cancel it first",
                       gremium_vote_get_id (self->current_vote));

        if (gremium_agenda_item_get_id (action->item) == self->current_item)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "Item %u is already the current item",
                       self->current_item);

        return TRUE;
      }

    case ACTION_AGENDA_VISIBILITY:
      {
        static const char * const allowed[] = { "item", "public", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !(action->item = lookup_item_field (self, data, error)) ||
            !_gremium_json_get_bool (data, "public", &action->flag, error))
          return FALSE;

        if (gremium_agenda_item_get_public (action->item) == action->flag)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "Item %u is already %s",
                       gremium_agenda_item_get_id (action->item),
                       action->flag ? "public" : "non-public");

        return TRUE;
      }

    case ACTION_AGENDA_ADD:
      {
        static const char * const allowed[] = { "title", "public", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !(action->text = _gremium_json_get_string (data, "title", GREMIUM_MAX_TITLE_LENGTH, error)) ||
            !_gremium_json_get_bool (data, "public", &action->flag, error))
          return FALSE;

        if (action->text[0] == '\0')
          return fail (error, GREMIUM_ERROR_INVALID_FIELD, "An agenda item needs a title");

        if (g_list_model_get_n_items (G_LIST_MODEL (self->agenda)) >= GREMIUM_MAX_AGENDA_SIZE)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "The agenda is full");

        return TRUE;
      }

    case ACTION_CONFLICT_DECLARE:
    case ACTION_CONFLICT_WITHDRAW:
      {
        static const char * const declare_allowed[] = { "item", "member", "reason", NULL };
        static const char * const withdraw_allowed[] = { "item", "member", NULL };
        gboolean is_declare = action->kind == ACTION_CONFLICT_DECLARE;

        if (!check_data_members (data, statement_kind_name (action),
                                 is_declare ? declare_allowed : withdraw_allowed, error) ||
            !require_member_author (action, error) ||
            !require_present (action->author, error) ||
            !(action->item = lookup_item_field (self, data, error)) ||
            !(action->target = lookup_target (self, data, error)))
          return FALSE;

        if (is_declare &&
            !(action->text = _gremium_json_get_string (data, "reason", GREMIUM_MAX_REASON_LENGTH, error)))
          return FALSE;

        /* A member declares their own interest; the chair may mark anyone's,
         * and only the chair may lift an exclusion.
         */
        if ((!is_declare || action->author != action->target) &&
            !require_chair (self, action, error))
          return FALSE;

        if (!gremium_member_can_vote (action->target))
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "%s is not a voting member; Befangenheit applies to voting members",
                       gremium_member_get_id (action->target));

        /* The eligible voters of a running vote are fixed; changing who is
         * excluded means cancelling the vote and opening it again.
         */
        if (_gremium_meeting_get_current_vote (self) != NULL &&
            gremium_vote_get_item (self->current_vote) == gremium_agenda_item_get_id (action->item))
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "A vote on item %u is under way; cancel it before changing exclusions",
                       gremium_agenda_item_get_id (action->item));

        if (gremium_agenda_item_has_conflict (action->item, gremium_member_get_id (action->target)) == is_declare)
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       is_declare ? "%s is already excluded from item %u"
                                  : "%s is not excluded from item %u",
                       gremium_member_get_id (action->target),
                       gremium_agenda_item_get_id (action->item));

        return TRUE;
      }

    case ACTION_SPEAKERS_REQUEST:
      {
        static const char * const allowed[] = { "type", NULL };
        const char *type;

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_member_author (action, error) ||
            !require_present (action->author, error) ||
            !(type = _gremium_json_get_string (data, "type", 32, error)))
          return FALSE;

        if (!gremium_speech_kind_from_string (type, &action->speech_kind))
          return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown type of request “%s”", type);

        if (find_speaker_request (self, author_id, action->speech_kind, NULL) != NULL)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s is already on the speakers list",
                       author_id);

        return TRUE;
      }

    case ACTION_SPEAKERS_WITHDRAW:
      {
        static const char * const allowed[] = { "member", "type", NULL };
        const char *type;

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_member_author (action, error) ||
            !require_present (action->author, error) ||
            !(action->target = lookup_target (self, data, error)) ||
            !(type = _gremium_json_get_string (data, "type", 32, error)))
          return FALSE;

        if (!gremium_speech_kind_from_string (type, &action->speech_kind))
          return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Unknown type of request “%s”", type);

        if (action->author != action->target && !require_chair (self, action, error))
          return FALSE;

        if (find_speaker_request (self, gremium_member_get_id (action->target),
                                  action->speech_kind, NULL) == NULL)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "%s has no such request on the list",
                       gremium_member_get_id (action->target));

        return TRUE;
      }

    case ACTION_SPEAKERS_GRANT:
      {
        static const char * const allowed[] = { "member", "limit", NULL };
        gint64 limit;

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !(action->target = lookup_target (self, data, error)) ||
            !_gremium_json_get_int (data, "limit", 0, GREMIUM_MAX_SPEAKING_TIME_SECONDS, &limit, error))
          return FALSE;

        if (gremium_member_get_presence (action->target) != GREMIUM_PRESENCE_PRESENT)
          return fail (error, GREMIUM_ERROR_NOT_PARTICIPANT, "%s is not present",
                       gremium_member_get_id (action->target));

        action->limit = (guint) limit;
        return TRUE;
      }

    case ACTION_SPEAKERS_FINISH:
      {
        static const char * const allowed[] = { NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_member_author (action, error) ||
            !require_present (action->author, error))
          return FALSE;

        if (self->current_speaker == NULL)
          return fail (error, GREMIUM_ERROR_INVALID_STATE, "Nobody has the floor");

        if (!g_str_equal (self->current_speaker, author_id) && !require_chair (self, action, error))
          return FALSE;

        return TRUE;
      }

    case ACTION_MUTE_REQUEST:
      {
        static const char * const allowed[] = { "member", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error))
          return FALSE;

        /* Without "member" the request goes to everyone but the chair. */
        if (json_object_has_member (data, "member") &&
            !(action->target = lookup_target (self, data, error)))
          return FALSE;

        if (action->target != NULL &&
            gremium_member_get_presence (action->target) != GREMIUM_PRESENCE_PRESENT)
          return fail (error, GREMIUM_ERROR_NOT_PARTICIPANT, "%s is not present",
                       gremium_member_get_id (action->target));

        return TRUE;
      }

    case ACTION_QUORUM_CONFIRM:
      {
        static const char * const allowed[] = { "members", "present", "required", "reached", NULL };
        GremiumQuorum quorum;
        gint64 members, present, required;
        gboolean reached;

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_chair (self, action, error) ||
            !require_present (action->author, error) ||
            !_gremium_json_get_int (data, "members", 0, GREMIUM_MAX_ROSTER_SIZE, &members, error) ||
            !_gremium_json_get_int (data, "present", 0, GREMIUM_MAX_ROSTER_SIZE, &present, error) ||
            !_gremium_json_get_int (data, "required", 0, GREMIUM_MAX_ROSTER_SIZE, &required, error) ||
            !_gremium_json_get_bool (data, "reached", &reached, error))
          return FALSE;

        /* The chair confirms what the record shows; a confirmation with other
         * numbers would put a false finding into the minutes.
         */
        gremium_meeting_get_quorum (self, &quorum);
        if (members != quorum.members || present != quorum.present ||
            required != quorum.required || reached != quorum.reached)
          return fail (error, GREMIUM_ERROR_INVALID_STATE,
                       "The confirmed quorum (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                       ", %" G_GINT64_FORMAT " required) differs from the record (%u of %u, %u required)",
                       present, members, required, quorum.present, quorum.members, quorum.required);

        return TRUE;
      }

    case ACTION_CHAT_MESSAGE:
      {
        static const char * const allowed[] = { "text", NULL };

        if (!check_data_members (data, statement_kind_name (action), allowed, error) ||
            !require_member_author (action, error) ||
            !require_present (action->author, error) ||
            !(action->text = _gremium_json_get_string (data, "text", GREMIUM_MAX_CHAT_LENGTH * 4, error)))
          return FALSE;

        if (action->text[0] == '\0' || g_utf8_strlen (action->text, -1) > GREMIUM_MAX_CHAT_LENGTH)
          return fail (error, GREMIUM_ERROR_INVALID_FIELD,
                       "A chat message has 1 to %d characters", GREMIUM_MAX_CHAT_LENGTH);

        return TRUE;
      }

    case ACTION_VOTE:
    default:
      g_assert_not_reached ();
    }
}

static char *
nonce_key (GremiumStatement *statement)
{
  return g_strconcat (gremium_statement_get_author (statement), "\n",
                      gremium_statement_get_nonce (statement), NULL);
}

/* Checks everything about @statement that does not depend on its kind —
 * frame, meeting, signature, time, replay — and then the kind's own rules.
 */
static gboolean
prepare_action (GremiumMeeting    *self,
                GremiumStatement  *statement,
                gint64             entry_time,
                Action            *action,
                GError           **error)
{
  g_autofree char *nonce = NULL;
  const char *kind;
  const char *author;
  gint64 skew;
  gboolean found = FALSE;

  memset (action, 0, sizeof *action);
  action->statement = statement;

  if (!gremium_statement_parse_body (statement, error))
    return FALSE;

  kind = gremium_statement_get_kind (statement);
  author = gremium_statement_get_author (statement);

  for (guint i = 0; i < G_N_ELEMENTS (action_kinds); i++)
    {
      if (g_str_equal (action_kinds[i].name, kind))
        {
          action->kind = action_kinds[i].kind;
          found = TRUE;
          break;
        }
    }

  if (!found && _gremium_vote_is_vote_kind (kind))
    {
      action->kind = ACTION_VOTE;
      found = TRUE;
    }

  if (!found)
    return fail (error, GREMIUM_ERROR_UNKNOWN_TYPE, "Unknown statement kind “%s”", kind);

  if (self->id == NULL)
    {
      if (action->kind != ACTION_MEETING_CREATE)
        return fail (error, GREMIUM_ERROR_INVALID_STATE,
                     "The record must begin with “meeting.create”");
    }
  else if (!g_str_equal (self->id, gremium_statement_get_meeting_id (statement)))
    {
      return fail (error, GREMIUM_ERROR_WRONG_MEETING,
                   "The statement is for meeting “%s”, not for this one",
                   gremium_statement_get_meeting_id (statement));
    }

  /* Who signed: the server's key for its own statements, otherwise one of
   * the author's enrolled device keys.
   */
  if (g_str_equal (author, GREMIUM_AUTHOR_SERVER))
    {
      if (!gremium_statement_verify (statement, self->server_key, error))
        return FALSE;
    }
  else
    {
      action->author = g_hash_table_lookup (self->members_by_id, author);
      if (action->author == NULL)
        return fail (error, GREMIUM_ERROR_UNKNOWN_MEMBER,
                     "“%s” is not on the meeting's roster", author);

      if (!gremium_member_has_key (action->author, gremium_statement_get_signer_key (statement)))
        return fail (error, GREMIUM_ERROR_UNKNOWN_KEY,
                     "The signing key is not enrolled for “%s”", author);

      if (!gremium_statement_verify (statement, gremium_statement_get_signer_key (statement), error))
        return FALSE;
    }

  skew = gremium_statement_get_time (statement) - entry_time;
  if (skew > GREMIUM_STATEMENT_TIME_WINDOW || skew < -GREMIUM_STATEMENT_TIME_WINDOW)
    return fail (error, GREMIUM_ERROR_STALE,
                 "The statement's time is more than five minutes away from the server's");

  nonce = nonce_key (statement);
  if (g_hash_table_contains (self->seen_nonces, nonce))
    return fail (error, GREMIUM_ERROR_REPLAYED, "This statement was already recorded");

  if (action->kind == ACTION_MEETING_CREATE)
    {
      if (self->id != NULL)
        return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting was already created");

      if (!_gremium_id_is_valid (gremium_statement_get_meeting_id (statement)))
        return fail (error, GREMIUM_ERROR_INVALID_FIELD, "Invalid meeting id");

      return validate_create (self, action, gremium_statement_get_data (statement), error);
    }

  if (action->kind == ACTION_VOTE)
    {
      if (self->closed)
        return fail (error, GREMIUM_ERROR_INVALID_STATE, "The meeting is closed");

      action->vote_change = _gremium_vote_change_prepare (self, statement, action->author,
                                                          entry_time, error);
      return action->vote_change != NULL;
    }

  return validate_action (self, action, error);
}

static void
remove_speaker_requests (GremiumMeeting *self,
                         const char     *member_id)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->speakers)); i > 0; i--)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (G_LIST_MODEL (self->speakers), i - 1);

      if (member_id == NULL || g_str_equal (gremium_speaker_request_get_member_id (request), member_id))
        g_list_store_remove (self->speakers, i - 1);
    }
}

static void
set_current_speaker (GremiumMeeting *self,
                     const char     *member_id,
                     gint64          since,
                     guint           limit)
{
  if (g_strcmp0 (self->current_speaker, member_id) == 0 && self->speaker_since == since)
    return;

  g_free (self->current_speaker);
  self->current_speaker = g_strdup (member_id);
  self->speaker_since = member_id ? since : 0;
  self->speaker_limit = member_id ? limit : 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SPEAKER]);
}

static void
perform_action (GremiumMeeting     *self,
                Action             *action,
                GremiumRecordEntry *entry)
{
  gint64 time = gremium_record_entry_get_time (entry);
  guint64 index = gremium_record_entry_get_index (entry);
  const char *target_id = action->target ? gremium_member_get_id (action->target) : NULL;

  switch (action->kind)
    {
    case ACTION_MEETING_CREATE:
      self->id = g_strdup (gremium_statement_get_meeting_id (action->statement));
      self->title = g_strdup (action->title);
      self->body_name = g_strdup (action->body_name);
      self->place = g_strdup (action->place);
      self->server_name = g_strdup (action->server_name);
      self->scheduled = action->scheduled;
      self->quorum_base = action->quorum_base;
      self->election_base = action->election_base;
      for (guint i = 0; i < action->new_members->len; i++)
        {
          GremiumMember *member = g_ptr_array_index (action->new_members, i);

          g_hash_table_insert (self->members_by_id, (gpointer) gremium_member_get_id (member), member);
          g_list_store_append (self->members, member);
        }
      for (guint i = 0; i < action->new_agenda->len; i++)
        g_list_store_append (self->agenda, g_ptr_array_index (action->new_agenda, i));
      break;

    case ACTION_MEETING_OPEN:
      self->opened = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPENED]);
      break;

    case ACTION_MEETING_CLOSE:
      self->closed = TRUE;
      remove_speaker_requests (self, NULL);
      set_current_speaker (self, NULL, 0, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
      break;

    case ACTION_ROSTER_KEY_ADD:
      _gremium_member_add_key (action->target, action->key);
      break;

    case ACTION_ROSTER_KEY_REVOKE:
      _gremium_member_remove_key (action->target, action->key);
      break;

    case ACTION_ATTENDANCE_JOIN:
      {
        GremiumRole role = gremium_member_get_role (action->author);

        /* The chair and the deputy open the meeting and admit others, so
         * they never wait; anyone the chair admitted once comes back directly.
         */
        if (role == GREMIUM_ROLE_CHAIR || role == GREMIUM_ROLE_DEPUTY ||
            gremium_member_get_admitted (action->author))
          _gremium_member_set_presence (action->author, GREMIUM_PRESENCE_PRESENT, time, NULL);
        else
          _gremium_member_set_presence (action->author, GREMIUM_PRESENCE_LOBBY, time, NULL);
        break;
      }

    case ACTION_ATTENDANCE_LEAVE:
      _gremium_member_set_presence (action->target, GREMIUM_PRESENCE_ABSENT, time, action->text);
      remove_speaker_requests (self, target_id);
      if (g_strcmp0 (self->current_speaker, target_id) == 0)
        set_current_speaker (self, NULL, 0, 0);
      break;

    case ACTION_LOBBY_ADMIT:
      _gremium_member_set_admitted (action->target, TRUE);
      _gremium_member_set_presence (action->target, GREMIUM_PRESENCE_PRESENT, time, NULL);
      break;

    case ACTION_LOBBY_DENY:
      _gremium_member_set_presence (action->target, GREMIUM_PRESENCE_ABSENT, time, "denied");
      break;

    case ACTION_AGENDA_SELECT:
      /* Each item has its own debate: the speakers list starts empty. */
      remove_speaker_requests (self, NULL);
      set_current_speaker (self, NULL, 0, 0);
      self->current_item = gremium_agenda_item_get_id (action->item);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_ITEM]);
      break;

    case ACTION_AGENDA_VISIBILITY:
      _gremium_agenda_item_set_public (action->item, action->flag);
      break;

    case ACTION_AGENDA_ADD:
      {
        guint id = g_list_model_get_n_items (G_LIST_MODEL (self->agenda)) + 1;
        g_autoptr(GremiumAgendaItem) item = _gremium_agenda_item_new (id, action->text, action->flag);

        g_list_store_append (self->agenda, item);
        break;
      }

    case ACTION_CONFLICT_DECLARE:
      _gremium_agenda_item_add_conflict (action->item, target_id, action->text);
      break;

    case ACTION_CONFLICT_WITHDRAW:
      _gremium_agenda_item_remove_conflict (action->item, target_id);
      break;

    case ACTION_SPEAKERS_REQUEST:
      {
        g_autoptr(GremiumSpeakerRequest) request =
          _gremium_speaker_request_new (gremium_member_get_id (action->author),
                                        action->speech_kind, index, time);

        g_list_store_insert_sorted (self->speakers, request,
                                    (GCompareDataFunc) gremium_speaker_request_compare, NULL);
        break;
      }

    case ACTION_SPEAKERS_WITHDRAW:
      {
        guint position;

        if (find_speaker_request (self, target_id, action->speech_kind, &position) != NULL)
          g_list_store_remove (self->speakers, position);
        break;
      }

    case ACTION_SPEAKERS_GRANT:
      {
        guint position;

        /* Granting the floor answers the member's request; a point of order
         * is answered before an ordinary request.
         */
        if (find_speaker_request (self, target_id, GREMIUM_SPEECH_KIND_POINT_OF_ORDER, &position) != NULL ||
            find_speaker_request (self, target_id, GREMIUM_SPEECH_KIND_SPEECH, &position) != NULL)
          g_list_store_remove (self->speakers, position);

        set_current_speaker (self, target_id, time, action->limit);
        break;
      }

    case ACTION_SPEAKERS_FINISH:
      set_current_speaker (self, NULL, 0, 0);
      break;

    case ACTION_MUTE_REQUEST:
      g_signal_emit (self, signals[MUTE_REQUESTED], 0, target_id,
                     gremium_member_get_id (action->author));
      break;

    case ACTION_QUORUM_CONFIRM:
      g_signal_emit (self, signals[QUORUM_CONFIRMED], 0, entry);
      break;

    case ACTION_CHAT_MESSAGE:
      {
        g_autoptr(GremiumChatMessage) message =
          _gremium_chat_message_new (gremium_member_get_id (action->author), action->text, time, index);

        g_list_store_append (self->chat, message);
        break;
      }

    case ACTION_VOTE:
      _gremium_vote_change_apply (action->vote_change, self, entry, self->tree);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
gremium_meeting_finalize (GObject *object)
{
  GremiumMeeting *self = (GremiumMeeting *) object;

  g_clear_pointer (&self->seen_nonces, g_hash_table_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->body_name, g_free);
  g_clear_pointer (&self->place, g_free);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->members_by_id, g_hash_table_unref);
  g_clear_object (&self->members);
  g_clear_object (&self->agenda);
  g_clear_object (&self->speakers);
  g_clear_object (&self->chat);
  g_clear_pointer (&self->votes_by_id, g_hash_table_unref);
  g_clear_object (&self->votes);
  g_clear_object (&self->tree);
  g_clear_pointer (&self->current_speaker, g_free);

  G_OBJECT_CLASS (gremium_meeting_parent_class)->finalize (object);
}

static void
gremium_meeting_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GremiumMeeting *self = GREMIUM_MEETING (object);

  switch (prop_id)
    {
    case PROP_N_ENTRIES:
      g_value_set_uint64 (value, self->n_entries);
      break;

    case PROP_OPENED:
      g_value_set_boolean (value, self->opened);
      break;

    case PROP_CLOSED:
      g_value_set_boolean (value, self->closed);
      break;

    case PROP_CURRENT_ITEM:
      g_value_set_object (value, gremium_meeting_get_current_item (self));
      break;

    case PROP_CURRENT_SPEAKER:
      g_value_set_string (value, self->current_speaker);
      break;

    case PROP_QUORUM_REACHED:
      {
        GremiumQuorum quorum;

        gremium_meeting_get_quorum (self, &quorum);
        g_value_set_boolean (value, quorum.reached);
        break;
      }

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_meeting_class_init (GremiumMeetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_meeting_finalize;
  object_class->get_property = gremium_meeting_get_property;

  properties[PROP_N_ENTRIES] =
    g_param_spec_uint64 ("n-entries", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OPENED] =
    g_param_spec_boolean ("opened", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_ITEM] =
    g_param_spec_object ("current-item", NULL, NULL, GREMIUM_TYPE_AGENDA_ITEM,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SPEAKER] =
    g_param_spec_string ("current-speaker", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_QUORUM_REACHED] =
    g_param_spec_boolean ("quorum-reached", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumMeeting::entry-applied:
   * @self: the meeting
   * @entry: the entry that was applied
   *
   * Emitted after an entry of the record changed the meeting.
   */
  signals[ENTRY_APPLIED] =
    g_signal_new ("entry-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GREMIUM_TYPE_RECORD_ENTRY);

  /**
   * GremiumMeeting::mute-requested:
   * @self: the meeting
   * @member_id: (nullable): whom the chair asks to mute, or %NULL for everyone
   * @chair_id: the chair who asks
   *
   * Emitted when the chair asks a participant, or everyone, to mute.
   */
  signals[MUTE_REQUESTED] =
    g_signal_new ("mute-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GremiumMeeting::quorum-confirmed:
   * @self: the meeting
   * @entry: the chair's confirmation
   *
   * Emitted when the chair records the finding of the quorum.
   */
  signals[QUORUM_CONFIRMED] =
    g_signal_new ("quorum-confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GREMIUM_TYPE_RECORD_ENTRY);
}

static void
gremium_meeting_init (GremiumMeeting *self)
{
  self->seen_nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->members = g_list_store_new (GREMIUM_TYPE_MEMBER);
  self->members_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->agenda = g_list_store_new (GREMIUM_TYPE_AGENDA_ITEM);
  self->speakers = g_list_store_new (GREMIUM_TYPE_SPEAKER_REQUEST);
  self->chat = g_list_store_new (GREMIUM_TYPE_CHAT_MESSAGE);
  self->votes = g_list_store_new (GREMIUM_TYPE_VOTE);
  self->votes_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tree = gremium_merkle_tree_new ();
}

/**
 * gremium_meeting_new:
 * @server_key: the server's Ed25519 public key, which signs the record's
 *   first entry and the statements the server makes itself
 *
 * Creates an empty meeting. Its first applied entry must be the server's
 * `meeting.create` statement.
 *
 * Returns: (transfer full): the meeting
 */
GremiumMeeting *
gremium_meeting_new (const guint8 server_key[GREMIUM_PUBLIC_KEY_SIZE])
{
  GremiumMeeting *self;

  g_return_val_if_fail (server_key != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_MEETING, NULL);
  memcpy (self->server_key, server_key, GREMIUM_PUBLIC_KEY_SIZE);

  return self;
}

/**
 * gremium_meeting_check:
 * @self: a meeting
 * @statement: a statement someone submitted
 * @entry_time: the time at which it would be accepted
 * @error: return location for an error
 *
 * Checks whether @statement would be accepted as the record's next entry,
 * without changing anything. The server calls this before it makes the
 * statement durable.
 *
 * Returns: %TRUE if the statement is acceptable
 */
gboolean
gremium_meeting_check (GremiumMeeting    *self,
                       GremiumStatement  *statement,
                       gint64             entry_time,
                       GError           **error)
{
  Action action;
  gboolean ok;

  g_return_val_if_fail (GREMIUM_IS_MEETING (self), FALSE);
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (statement), FALSE);

  ok = prepare_action (self, statement, entry_time, &action, error);
  action_clear (&action);

  return ok;
}

/**
 * gremium_meeting_apply:
 * @self: a meeting
 * @entry: the record's next entry
 * @error: return location for an error
 *
 * Verifies @entry and changes the meeting accordingly. The entry must be the
 * next in order, not older than the previous one, and pass every check of
 * gremium_meeting_check(). If it fails, nothing changes.
 *
 * Returns: %TRUE if the entry was applied
 */
gboolean
gremium_meeting_apply (GremiumMeeting      *self,
                       GremiumRecordEntry  *entry,
                       GError             **error)
{
  GremiumStatement *statement;
  GremiumQuorum before, after;
  Action action;

  g_return_val_if_fail (GREMIUM_IS_MEETING (self), FALSE);
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (entry), FALSE);

  if (gremium_record_entry_get_index (entry) != self->n_entries)
    return fail (error, GREMIUM_ERROR_LOG_INCONSISTENT,
                 "Entry %" G_GUINT64_FORMAT " arrived where entry %" G_GUINT64_FORMAT " belongs",
                 gremium_record_entry_get_index (entry), self->n_entries);

  if (gremium_record_entry_get_time (entry) < self->last_time)
    return fail (error, GREMIUM_ERROR_LOG_INCONSISTENT,
                 "Entry %" G_GUINT64_FORMAT " is older than the entry before it",
                 gremium_record_entry_get_index (entry));

  statement = gremium_record_entry_get_statement (entry);
  if (!prepare_action (self, statement, gremium_record_entry_get_time (entry), &action, error))
    {
      action_clear (&action);
      g_prefix_error (error, "Entry %" G_GUINT64_FORMAT ": ", gremium_record_entry_get_index (entry));
      return FALSE;
    }

  gremium_meeting_get_quorum (self, &before);

  g_object_freeze_notify (G_OBJECT (self));

  g_hash_table_add (self->seen_nonces, nonce_key (statement));
  gremium_merkle_tree_append_leaf_hash (self->tree, gremium_record_entry_get_leaf_hash (entry));
  perform_action (self, &action, entry);
  action_clear (&action);

  self->n_entries++;
  self->last_time = gremium_record_entry_get_time (entry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ENTRIES]);

  gremium_meeting_get_quorum (self, &after);
  if (before.reached != after.reached)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUORUM_REACHED]);

  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[ENTRY_APPLIED], 0, entry);

  return TRUE;
}

/**
 * gremium_meeting_get_n_entries:
 * @self: a meeting
 *
 * Returns: the number of record entries applied so far
 */
guint64
gremium_meeting_get_n_entries (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), 0);

  return self->n_entries;
}

/**
 * gremium_meeting_get_last_time:
 * @self: a meeting
 *
 * Returns: the acceptance time of the latest entry, or 0
 */
gint64
gremium_meeting_get_last_time (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), 0);

  return self->last_time;
}

/**
 * gremium_meeting_get_server_key:
 * @self: a meeting
 *
 * Returns: (transfer none) (array fixed-size=32): the server's public key
 */
const guint8 *
gremium_meeting_get_server_key (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->server_key;
}

/**
 * gremium_meeting_get_id:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the meeting's id, %NULL before the
 *   first entry
 */
const char *
gremium_meeting_get_id (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->id;
}

/**
 * gremium_meeting_get_title:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the meeting's title
 */
const char *
gremium_meeting_get_title (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->title;
}

/**
 * gremium_meeting_get_body_name:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the council or committee, e.g.
 *   `"Gemeinderat Musterstadt"`
 */
const char *
gremium_meeting_get_body_name (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->body_name;
}

/**
 * gremium_meeting_get_place:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): where the meeting takes place
 */
const char *
gremium_meeting_get_place (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->place;
}

/**
 * gremium_meeting_get_server_name:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the name of the server that keeps the
 *   record, which also names its checkpoint key
 */
const char *
gremium_meeting_get_server_name (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->server_name;
}

/**
 * gremium_meeting_get_scheduled:
 * @self: a meeting
 *
 * Returns: the scheduled start, microseconds since the Unix epoch
 */
gint64
gremium_meeting_get_scheduled (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), 0);

  return self->scheduled;
}

/**
 * gremium_meeting_get_opened:
 * @self: a meeting
 *
 * Returns: %TRUE once the chair opened the meeting
 */
gboolean
gremium_meeting_get_opened (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), FALSE);

  return self->opened;
}

/**
 * gremium_meeting_get_closed:
 * @self: a meeting
 *
 * Returns: %TRUE once the chair closed the meeting
 */
gboolean
gremium_meeting_get_closed (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), FALSE);

  return self->closed;
}

/**
 * gremium_meeting_get_quorum_base:
 * @self: a meeting
 *
 * Returns: the rule the quorum is computed by
 */
GremiumQuorumBase
gremium_meeting_get_quorum_base (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), GREMIUM_QUORUM_BASE_MEMBERS);

  return self->quorum_base;
}

/**
 * gremium_meeting_get_members:
 * @self: a meeting
 *
 * Returns: (transfer none): a list model of [class@Member], in roster order
 */
GListModel *
gremium_meeting_get_members (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return G_LIST_MODEL (self->members);
}

/**
 * gremium_meeting_lookup_member:
 * @self: a meeting
 * @member_id: a member id
 *
 * Returns: (transfer none) (nullable): the member, or %NULL if not on the roster
 */
GremiumMember *
gremium_meeting_lookup_member (GremiumMeeting *self,
                               const char     *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  return g_hash_table_lookup (self->members_by_id, member_id);
}

/**
 * gremium_meeting_has_chair_powers:
 * @self: a meeting
 * @member_id: a member id
 *
 * The chair holds the chair's powers; while the chair is not present, the
 * deputies do (Stellvertretung).
 *
 * Returns: %TRUE if the member may perform the chair's actions now
 */
gboolean
gremium_meeting_has_chair_powers (GremiumMeeting *self,
                                  const char     *member_id)
{
  GremiumMember *member;
  guint n;

  g_return_val_if_fail (GREMIUM_IS_MEETING (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  member = g_hash_table_lookup (self->members_by_id, member_id);
  if (member == NULL)
    return FALSE;

  switch (gremium_member_get_role (member))
    {
    case GREMIUM_ROLE_CHAIR:
      return TRUE;

    case GREMIUM_ROLE_DEPUTY:
      n = g_list_model_get_n_items (G_LIST_MODEL (self->members));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GremiumMember) other = g_list_model_get_item (G_LIST_MODEL (self->members), i);

          if (gremium_member_get_role (other) == GREMIUM_ROLE_CHAIR &&
              gremium_member_get_presence (other) == GREMIUM_PRESENCE_PRESENT)
            return FALSE;
        }
      return TRUE;

    case GREMIUM_ROLE_MEMBER:
    case GREMIUM_ROLE_MINUTE_TAKER:
    case GREMIUM_ROLE_STAFF:
    case GREMIUM_ROLE_GUEST:
    default:
      return FALSE;
    }
}

/**
 * gremium_meeting_get_agenda:
 * @self: a meeting
 *
 * Returns: (transfer none): a list model of [class@AgendaItem], in order
 */
GListModel *
gremium_meeting_get_agenda (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return G_LIST_MODEL (self->agenda);
}

/**
 * gremium_meeting_lookup_item:
 * @self: a meeting
 * @item_id: an item number, from 1
 *
 * Returns: (transfer none) (nullable): the agenda item
 */
GremiumAgendaItem *
gremium_meeting_lookup_item (GremiumMeeting *self,
                             guint           item_id)
{
  g_autoptr(GremiumAgendaItem) item = NULL;

  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  if (item_id == 0 || item_id > g_list_model_get_n_items (G_LIST_MODEL (self->agenda)))
    return NULL;

  /* Items are numbered by position, so the list holds item n at n - 1; the
   * store keeps its own reference.
   */
  item = g_list_model_get_item (G_LIST_MODEL (self->agenda), item_id - 1);
  return item;
}

/**
 * gremium_meeting_get_current_item:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the item under discussion
 */
GremiumAgendaItem *
gremium_meeting_get_current_item (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return gremium_meeting_lookup_item (self, self->current_item);
}

/**
 * gremium_meeting_get_speakers:
 * @self: a meeting
 *
 * Returns: (transfer none): a list model of [class@SpeakerRequest]: points of
 *   order first, then requests in the order they were made
 */
GListModel *
gremium_meeting_get_speakers (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return G_LIST_MODEL (self->speakers);
}

/**
 * gremium_meeting_get_current_speaker:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the member who has the floor
 */
const char *
gremium_meeting_get_current_speaker (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return self->current_speaker;
}

/**
 * gremium_meeting_get_speaker_since:
 * @self: a meeting
 *
 * Returns: when the current speaker got the floor, or 0
 */
gint64
gremium_meeting_get_speaker_since (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), 0);

  return self->speaker_since;
}

/**
 * gremium_meeting_get_speaker_limit:
 * @self: a meeting
 *
 * Returns: the current speaker's speaking time in seconds, 0 for no limit
 */
guint
gremium_meeting_get_speaker_limit (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), 0);

  return self->speaker_limit;
}

/**
 * gremium_meeting_get_chat:
 * @self: a meeting
 *
 * Returns: (transfer none): a list model of [class@ChatMessage]
 */
GListModel *
gremium_meeting_get_chat (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return G_LIST_MODEL (self->chat);
}

/**
 * gremium_meeting_get_quorum:
 * @self: a meeting
 * @quorum: (out caller-allocates): the quorum now
 *
 * Computes the quorum: more than half of the base must be voting members
 * who are present and not excluded from the current item. The base is the
 * number of voting members, reduced by the excluded members if the meeting's
 * rules say so.
 */
void
gremium_meeting_get_quorum (GremiumMeeting *self,
                            GremiumQuorum  *quorum)
{
  GremiumAgendaItem *item;
  guint base;
  guint n;

  g_return_if_fail (GREMIUM_IS_MEETING (self));
  g_return_if_fail (quorum != NULL);

  memset (quorum, 0, sizeof *quorum);
  item = gremium_meeting_get_current_item (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->members));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (G_LIST_MODEL (self->members), i);
      gboolean excluded;

      if (!gremium_member_can_vote (member))
        continue;

      quorum->members++;
      excluded = item != NULL &&
                 gremium_agenda_item_has_conflict (item, gremium_member_get_id (member));
      if (excluded)
        quorum->excluded++;
      else if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_PRESENT)
        quorum->present++;
    }

  base = quorum->members;
  if (self->quorum_base == GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED)
    base -= quorum->excluded;

  quorum->required = base / 2 + 1;
  quorum->reached = quorum->present >= quorum->required;
}

/**
 * gremium_meeting_get_votes:
 * @self: a meeting
 *
 * Returns: (transfer none): a list model of [class@Vote], in the order they
 *   were opened
 */
GListModel *
gremium_meeting_get_votes (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return G_LIST_MODEL (self->votes);
}

/**
 * gremium_meeting_lookup_vote:
 * @self: a meeting
 * @vote_id: a vote id
 *
 * Returns: (transfer none) (nullable): the vote
 */
GremiumVote *
gremium_meeting_lookup_vote (GremiumMeeting *self,
                             const char     *vote_id)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);
  g_return_val_if_fail (vote_id != NULL, NULL);

  return g_hash_table_lookup (self->votes_by_id, vote_id);
}

/**
 * gremium_meeting_get_current_vote:
 * @self: a meeting
 *
 * Returns: (transfer none) (nullable): the vote under way (opened, and not
 *   yet published or cancelled)
 */
GremiumVote *
gremium_meeting_get_current_vote (GremiumMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  return _gremium_meeting_get_current_vote (self);
}

/**
 * gremium_meeting_dup_eligible:
 * @self: a meeting
 *
 * Lists who may vote on the current item right now: the voting members who
 * are present and not excluded from the item for a personal interest, in
 * roster order. A vote must name exactly these.
 *
 * Returns: (transfer full): the member ids
 */
char **
gremium_meeting_dup_eligible (GremiumMeeting *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GremiumAgendaItem *item;
  guint n;

  g_return_val_if_fail (GREMIUM_IS_MEETING (self), NULL);

  item = gremium_meeting_get_current_item (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->members));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (G_LIST_MODEL (self->members), i);

      if (gremium_member_can_vote (member) &&
          gremium_member_get_presence (member) == GREMIUM_PRESENCE_PRESENT &&
          (item == NULL || !gremium_agenda_item_has_conflict (item, gremium_member_get_id (member))))
        g_strv_builder_add (builder, gremium_member_get_id (member));
    }

  return g_strv_builder_end (builder);
}

GremiumVote *
_gremium_meeting_get_current_vote (GremiumMeeting *self)
{
  if (self->current_vote != NULL && !_gremium_vote_is_in_progress (self->current_vote))
    return NULL;

  return self->current_vote;
}

void
_gremium_meeting_add_vote (GremiumMeeting *self,
                           GremiumVote    *vote)
{
  g_list_store_append (self->votes, vote);
  g_hash_table_insert (self->votes_by_id, (gpointer) gremium_vote_get_id (vote), vote);
  self->current_vote = vote;
}

GremiumElectionBase
_gremium_meeting_get_election_base (GremiumMeeting *self)
{
  return self->election_base;
}
