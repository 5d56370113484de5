/* gremium-member.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-member-private.h"

#include <string.h>

/**
 * GremiumMember:
 *
 * A participant on a meeting's roster: a council member, the chair, the
 * minute-taker, staff or a guest, with their enrolled device keys and their
 * attendance.
 *
 * Members are owned and changed only by their [class@Meeting], which applies
 * the meeting's record; everyone else reads them and listens to
 * notifications.
 */
struct _GremiumMember
{
  GObject          parent_instance;

  char            *id;
  char            *name;
  GremiumRole      role;
  GremiumPresence  presence;
  gboolean         admitted;
  char            *leave_reason;
  GArray          *keys;        /* of guint8[32] */
  GArray          *attendance;  /* of GremiumAttendance */
};

G_DEFINE_FINAL_TYPE (GremiumMember, gremium_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_PRESENCE,
  PROP_ADMITTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint8 bytes[GREMIUM_PUBLIC_KEY_SIZE];
} KeyBytes;

static void
gremium_member_finalize (GObject *object)
{
  GremiumMember *self = (GremiumMember *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->leave_reason, g_free);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->attendance, g_array_unref);

  G_OBJECT_CLASS (gremium_member_parent_class)->finalize (object);
}

static void
gremium_member_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GremiumMember *self = GREMIUM_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;

    case PROP_PRESENCE:
      g_value_set_int (value, self->presence);
      break;

    case PROP_ADMITTED:
      g_value_set_boolean (value, self->admitted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_member_class_init (GremiumMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_member_finalize;
  object_class->get_property = gremium_member_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, 0, GREMIUM_ROLE_GUEST, GREMIUM_ROLE_MEMBER,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENCE] =
    g_param_spec_int ("presence", NULL, NULL, 0, GREMIUM_PRESENCE_PRESENT,
                      GREMIUM_PRESENCE_ABSENT,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ADMITTED] =
    g_param_spec_boolean ("admitted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_member_init (GremiumMember *self)
{
  self->keys = g_array_new (FALSE, FALSE, sizeof (KeyBytes));
  self->attendance = g_array_new (FALSE, FALSE, sizeof (GremiumAttendance));
}

GremiumMember *
_gremium_member_new (const char  *id,
                     const char  *name,
                     GremiumRole  role)
{
  GremiumMember *self = g_object_new (GREMIUM_TYPE_MEMBER, NULL);

  g_assert (id != NULL);
  g_assert (name != NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->role = role;

  return self;
}

void
_gremium_member_add_key (GremiumMember *self,
                         const guint8   key[GREMIUM_PUBLIC_KEY_SIZE])
{
  KeyBytes k;

  g_assert (GREMIUM_IS_MEMBER (self));

  if (gremium_member_has_key (self, key))
    return;

  memcpy (k.bytes, key, sizeof k.bytes);
  g_array_append_val (self->keys, k);
}

gboolean
_gremium_member_remove_key (GremiumMember *self,
                            const guint8   key[GREMIUM_PUBLIC_KEY_SIZE])
{
  g_assert (GREMIUM_IS_MEMBER (self));

  for (guint i = 0; i < self->keys->len; i++)
    {
      if (memcmp (g_array_index (self->keys, KeyBytes, i).bytes, key,
                  GREMIUM_PUBLIC_KEY_SIZE) == 0)
        {
          g_array_remove_index (self->keys, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
_gremium_member_set_presence (GremiumMember   *self,
                              GremiumPresence  presence,
                              gint64           time,
                              const char      *leave_reason)
{
  g_assert (GREMIUM_IS_MEMBER (self));

  if (self->presence == presence)
    return;

  /* Attendance counts the time a member actually took part; the lobby is not
   * attendance.
   */
  if (presence == GREMIUM_PRESENCE_PRESENT)
    {
      GremiumAttendance stretch = { time, 0 };

      g_array_append_val (self->attendance, stretch);
      g_clear_pointer (&self->leave_reason, g_free);
    }
  else if (self->presence == GREMIUM_PRESENCE_PRESENT && self->attendance->len > 0)
    {
      g_array_index (self->attendance, GremiumAttendance, self->attendance->len - 1).left = time;
    }

  if (presence == GREMIUM_PRESENCE_ABSENT)
    {
      g_free (self->leave_reason);
      self->leave_reason = g_strdup (leave_reason);
    }

  self->presence = presence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENCE]);
}

void
_gremium_member_set_admitted (GremiumMember *self,
                              gboolean       admitted)
{
  g_assert (GREMIUM_IS_MEMBER (self));

  admitted = !!admitted;
  if (self->admitted == admitted)
    return;

  self->admitted = admitted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADMITTED]);
}

/**
 * gremium_member_get_id:
 * @self: a member
 *
 * Returns: (transfer none): the member's identifier, e.g. `"mueller"`
 */
const char *
gremium_member_get_id (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), NULL);

  return self->id;
}

/**
 * gremium_member_get_name:
 * @self: a member
 *
 * Returns: (transfer none): the member's display name, e.g. `"Anna Müller"`
 */
const char *
gremium_member_get_name (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), NULL);

  return self->name;
}

/**
 * gremium_member_get_role:
 * @self: a member
 *
 * Returns: the member's role in the meeting
 */
GremiumRole
gremium_member_get_role (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), GREMIUM_ROLE_GUEST);

  return self->role;
}

/**
 * gremium_member_can_vote:
 * @self: a member
 *
 * Returns: %TRUE if the member is a voting member of the council
 */
gboolean
gremium_member_can_vote (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), FALSE);

  return gremium_role_can_vote (self->role);
}

/**
 * gremium_member_get_presence:
 * @self: a member
 *
 * Returns: whether the member is absent, in the lobby or present
 */
GremiumPresence
gremium_member_get_presence (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), GREMIUM_PRESENCE_ABSENT);

  return self->presence;
}

/**
 * gremium_member_get_admitted:
 * @self: a member
 *
 * Members the chair admitted once rejoin without waiting in the lobby.
 *
 * Returns: %TRUE if the member was admitted to this meeting
 */
gboolean
gremium_member_get_admitted (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), FALSE);

  return self->admitted;
}

/**
 * gremium_member_get_joined_at:
 * @self: a member
 *
 * Returns: when the member's latest stretch of attendance began, or 0
 */
gint64
gremium_member_get_joined_at (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), 0);

  if (self->attendance->len == 0)
    return 0;

  return g_array_index (self->attendance, GremiumAttendance, self->attendance->len - 1).joined;
}

/**
 * gremium_member_get_left_at:
 * @self: a member
 *
 * Returns: when the member's latest stretch of attendance ended, or 0 while
 *   it lasts or if there was none
 */
gint64
gremium_member_get_left_at (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), 0);

  if (self->attendance->len == 0)
    return 0;

  return g_array_index (self->attendance, GremiumAttendance, self->attendance->len - 1).left;
}

/**
 * gremium_member_get_leave_reason:
 * @self: a member
 *
 * Returns: (transfer none) (nullable): why the member last left, e.g. `"left"`
 *   or `"connection-lost"`, or %NULL
 */
const char *
gremium_member_get_leave_reason (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), NULL);

  return self->leave_reason;
}

/**
 * gremium_member_get_n_keys:
 * @self: a member
 *
 * Returns: the number of device keys enrolled for the member
 */
guint
gremium_member_get_n_keys (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), 0);

  return self->keys->len;
}

/**
 * gremium_member_get_key:
 * @self: a member
 * @position: which key, below gremium_member_get_n_keys()
 *
 * Returns: (transfer none) (array fixed-size=32): an Ed25519 device key
 */
const guint8 *
gremium_member_get_key (GremiumMember *self,
                        guint          position)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), NULL);
  g_return_val_if_fail (position < self->keys->len, NULL);

  return g_array_index (self->keys, KeyBytes, position).bytes;
}

/**
 * gremium_member_has_key:
 * @self: a member
 * @key: an Ed25519 public key
 *
 * Returns: %TRUE if @key is one of the member's enrolled device keys
 */
gboolean
gremium_member_has_key (GremiumMember *self,
                        const guint8   key[GREMIUM_PUBLIC_KEY_SIZE])
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  for (guint i = 0; i < self->keys->len; i++)
    {
      if (memcmp (g_array_index (self->keys, KeyBytes, i).bytes, key,
                  GREMIUM_PUBLIC_KEY_SIZE) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * gremium_member_get_attendance:
 * @self: a member
 *
 * Gets the stretches of time the member was present, for the minutes.
 *
 * Returns: (transfer none) (element-type GremiumAttendance): the stretches
 */
GArray *
gremium_member_get_attendance (GremiumMember *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEMBER (self), NULL);

  return self->attendance;
}
