/* gremium-server-config.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include "gremium-server-config.h"

#include <gio/gio.h>
#include <gremium-error.h>
#include <string.h>

#define GROUP "server"

/**
 * gremium_server_config_new_default:
 *
 * The defaults suit the demo and tests: loopback only, plain `ws://`, data
 * in `./gremium-data`.
 *
 * Returns: (transfer full): a configuration with the defaults
 */
GremiumServerConfig *
gremium_server_config_new_default (void)
{
  GremiumServerConfig *self = g_new0 (GremiumServerConfig, 1);

  self->name = g_strdup ("localhost");
  self->listen_address = g_strdup ("127.0.0.1");
  self->port = 8443;
  self->data_dir = g_strdup ("gremium-data");
  self->max_connections = 2000;
  self->max_connections_per_member = 4;
  self->enrolment_code_days = 14;
  self->quorum_base = GREMIUM_QUORUM_BASE_MEMBERS;

  return self;
}

static gboolean
load_uint (GKeyFile    *key_file,
           const char  *key,
           guint        min,
           guint        max,
           guint       *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 value;

  if (!g_key_file_has_key (key_file, GROUP, key, NULL))
    return TRUE;

  value = g_key_file_get_uint64 (key_file, GROUP, key, &local_error);
  if (local_error != NULL || value < min || value > max)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The setting “%s” must be a number from %u to %u", key, min, max);
      return FALSE;
    }

  *out = (guint) value;
  return TRUE;
}

static void
load_string (GKeyFile    *key_file,
             const char  *key,
             char       **out)
{
  g_autofree char *value = g_key_file_get_string (key_file, GROUP, key, NULL);

  if (value != NULL)
    {
      g_strstrip (value);
      g_free (*out);
      *out = value[0] != '\0' ? g_steal_pointer (&value) : NULL;
    }
}

/**
 * gremium_server_config_load:
 * @self: a configuration
 * @path: a key file
 * @error: return location for an error
 *
 * Reads the settings present in @path over the current values.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_server_config_load (GremiumServerConfig  *self,
                            const char           *path,
                            GError              **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *quorum_base = NULL;
  g_auto(GStrv) keys = NULL;
  static const char * const known[] = {
    "name", "listen", "port", "data-dir", "tls-certificate", "tls-key", "max-connections",
    "max-connections-per-member", "enrolment-code-days", "quorum-base", NULL
  };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Cannot read the configuration %s: %s", path, local_error->message);
      return FALSE;
    }

  /* A misspelt setting would silently keep its default; refuse it instead. */
  keys = g_key_file_get_keys (key_file, GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (!g_strv_contains (known, keys[i]))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "Unknown setting “%s” in %s", keys[i], path);
          return FALSE;
        }
    }

  load_string (key_file, "name", &self->name);
  load_string (key_file, "listen", &self->listen_address);
  load_string (key_file, "data-dir", &self->data_dir);
  load_string (key_file, "tls-certificate", &self->tls_certificate);
  load_string (key_file, "tls-key", &self->tls_key);

  if (!load_uint (key_file, "port", 1, 65535, &self->port, error) ||
      !load_uint (key_file, "max-connections", 1, 100000, &self->max_connections, error) ||
      !load_uint (key_file, "max-connections-per-member", 1, 64,
                  &self->max_connections_per_member, error) ||
      !load_uint (key_file, "enrolment-code-days", 1, 365, &self->enrolment_code_days, error))
    return FALSE;

  quorum_base = g_key_file_get_string (key_file, GROUP, "quorum-base", NULL);
  if (quorum_base != NULL && !gremium_quorum_base_from_string (g_strstrip (quorum_base),
                                                               &self->quorum_base))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The setting “quorum-base” must be “members” or “members-not-excluded”");
      return FALSE;
    }

  return gremium_server_config_validate (self, error);
}

/**
 * gremium_server_config_validate:
 * @self: a configuration
 * @error: return location for an error
 *
 * Checks the settings that depend on each other.
 *
 * Returns: %TRUE if the configuration can be used
 */
gboolean
gremium_server_config_validate (GremiumServerConfig  *self,
                                GError              **error)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  /* The name appears in checkpoints as a signed-note key name. */
  if (self->name == NULL || self->name[0] == '\0' || strpbrk (self->name, " +\n\t") != NULL ||
      strlen (self->name) > 253)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The server name must be a host name without spaces or “+”");
      return FALSE;
    }

  address = self->listen_address ? g_inet_address_new_from_string (self->listen_address) : NULL;
  if (address == NULL)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "“%s” is not an IP address to listen on",
                   self->listen_address ? self->listen_address : "");
      return FALSE;
    }

  if ((self->tls_certificate == NULL) != (self->tls_key == NULL))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Set both “tls-certificate” and “tls-key”, or neither");
      return FALSE;
    }

  /* Without TLS, everything including enrolment codes would travel in the
   * clear; that is acceptable only when nothing leaves the machine.
   */
  if (self->tls_certificate == NULL && !g_inet_address_get_is_loopback (address))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Listening on %s needs TLS: set “tls-certificate” and “tls-key”, "
                   "or listen on 127.0.0.1 only", self->listen_address);
      return FALSE;
    }

  if (self->data_dir == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The setting “data-dir” is required");
      return FALSE;
    }

  return TRUE;
}

/**
 * gremium_server_config_dup_database_path:
 * @self: a configuration
 *
 * Returns: (transfer full): the path of the SQLite database
 */
char *
gremium_server_config_dup_database_path (GremiumServerConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_build_filename (self->data_dir, "gremium.sqlite", NULL);
}

/**
 * gremium_server_config_dup_key_path:
 * @self: a configuration
 *
 * Returns: (transfer full): the path of the server's identity key
 */
char *
gremium_server_config_dup_key_path (GremiumServerConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_build_filename (self->data_dir, "server.key", NULL);
}

/**
 * gremium_server_config_is_loopback:
 * @self: a configuration
 *
 * Returns: %TRUE if the server listens on a loopback address
 */
gboolean
gremium_server_config_is_loopback (GremiumServerConfig *self)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  address = g_inet_address_new_from_string (self->listen_address);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * gremium_server_config_free:
 * @self: (transfer full): a configuration
 */
void
gremium_server_config_free (GremiumServerConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->listen_address);
  g_free (self->data_dir);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_free (self);
}
