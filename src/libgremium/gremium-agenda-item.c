/* gremium-agenda-item.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-agenda-item-private.h"

/**
 * GremiumAgendaItem:
 *
 * An item of a meeting's agenda (Tagesordnungspunkt): its title, whether it
 * is dealt with in public (ThürKO § 40), and the members excluded from it for
 * a personal interest (Befangenheit, § 38).
 */
struct _GremiumAgendaItem
{
  GObject     parent_instance;

  guint       id;
  char       *title;
  gboolean    is_public;
  GHashTable *conflicts;        /* member id → reason ("" when none given) */
};

G_DEFINE_FINAL_TYPE (GremiumAgendaItem, gremium_agenda_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PUBLIC,
  PROP_N_CONFLICTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
gremium_agenda_item_finalize (GObject *object)
{
  GremiumAgendaItem *self = (GremiumAgendaItem *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->conflicts, g_hash_table_unref);

  G_OBJECT_CLASS (gremium_agenda_item_parent_class)->finalize (object);
}

static void
gremium_agenda_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GremiumAgendaItem *self = GREMIUM_AGENDA_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_PUBLIC:
      g_value_set_boolean (value, self->is_public);
      break;

    case PROP_N_CONFLICTS:
      g_value_set_uint (value, g_hash_table_size (self->conflicts));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_agenda_item_class_init (GremiumAgendaItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_agenda_item_finalize;
  object_class->get_property = gremium_agenda_item_get_property;

  properties[PROP_ID] =
    g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLIC] =
    g_param_spec_boolean ("public", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CONFLICTS] =
    g_param_spec_uint ("n-conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_agenda_item_init (GremiumAgendaItem *self)
{
  self->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GremiumAgendaItem *
_gremium_agenda_item_new (guint       id,
                          const char *title,
                          gboolean    is_public)
{
  GremiumAgendaItem *self = g_object_new (GREMIUM_TYPE_AGENDA_ITEM, NULL);

  self->id = id;
  self->title = g_strdup (title);
  self->is_public = !!is_public;

  return self;
}

void
_gremium_agenda_item_set_public (GremiumAgendaItem *self,
                                 gboolean           is_public)
{
  g_assert (GREMIUM_IS_AGENDA_ITEM (self));

  is_public = !!is_public;
  if (self->is_public == is_public)
    return;

  self->is_public = is_public;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLIC]);
}

void
_gremium_agenda_item_add_conflict (GremiumAgendaItem *self,
                                   const char        *member_id,
                                   const char        *reason)
{
  g_assert (GREMIUM_IS_AGENDA_ITEM (self));

  g_hash_table_insert (self->conflicts, g_strdup (member_id), g_strdup (reason ? reason : ""));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
}

gboolean
_gremium_agenda_item_remove_conflict (GremiumAgendaItem *self,
                                      const char        *member_id)
{
  g_assert (GREMIUM_IS_AGENDA_ITEM (self));

  if (!g_hash_table_remove (self->conflicts, member_id))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
  return TRUE;
}

/**
 * gremium_agenda_item_get_id:
 * @self: an agenda item
 *
 * Returns: the item's number, from 1, stable for the meeting
 */
guint
gremium_agenda_item_get_id (GremiumAgendaItem *self)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), 0);

  return self->id;
}

/**
 * gremium_agenda_item_get_title:
 * @self: an agenda item
 *
 * Returns: (transfer none): the item's title
 */
const char *
gremium_agenda_item_get_title (GremiumAgendaItem *self)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), NULL);

  return self->title;
}

/**
 * gremium_agenda_item_get_public:
 * @self: an agenda item
 *
 * Returns: %TRUE if the item is dealt with in public
 */
gboolean
gremium_agenda_item_get_public (GremiumAgendaItem *self)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), FALSE);

  return self->is_public;
}

/**
 * gremium_agenda_item_has_conflict:
 * @self: an agenda item
 * @member_id: a member
 *
 * Returns: %TRUE if the member is excluded from this item (befangen)
 */
gboolean
gremium_agenda_item_has_conflict (GremiumAgendaItem *self,
                                  const char        *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  return g_hash_table_contains (self->conflicts, member_id);
}

/**
 * gremium_agenda_item_get_conflict_reason:
 * @self: an agenda item
 * @member_id: a member
 *
 * Returns: (transfer none) (nullable): the reason given, possibly empty, or
 *   %NULL if the member is not excluded
 */
const char *
gremium_agenda_item_get_conflict_reason (GremiumAgendaItem *self,
                                         const char        *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  return g_hash_table_lookup (self->conflicts, member_id);
}

/**
 * gremium_agenda_item_dup_conflicts:
 * @self: an agenda item
 *
 * Returns: (transfer full): the ids of the excluded members, sorted
 */
char **
gremium_agenda_item_dup_conflicts (GremiumAgendaItem *self)
{
  g_autofree const char **keys = NULL;
  GPtrArray *out;
  guint n = 0;

  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->conflicts, &n);
  out = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_strdup (keys[i]));
  g_ptr_array_sort (out, compare_ids);
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * gremium_agenda_item_get_n_conflicts:
 * @self: an agenda item
 *
 * Returns: how many members are excluded from this item
 */
guint
gremium_agenda_item_get_n_conflicts (GremiumAgendaItem *self)
{
  g_return_val_if_fail (GREMIUM_IS_AGENDA_ITEM (self), 0);

  return g_hash_table_size (self->conflicts);
}
