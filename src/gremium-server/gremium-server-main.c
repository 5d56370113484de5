/* gremium-server-main.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <string.h>
#ifdef G_OS_UNIX
# include <glib-unix.h>
# include <sys/resource.h>
#endif

#include <gremium-error.h>
#include <gremium-identity.h>

#include "gremium-server.h"
#include "../libgremium/gremium-json-private.h"

/* gremium-server: the reference signalling server and its administration.
 *
 *   gremium-server [--config FILE] [--data DIR] COMMAND …
 *
 * Every command works on the data folder (database and server key); `serve`
 * runs the server, the others change or read the data and exit.
 */

typedef struct
{
  GremiumServerConfig *config;
  gboolean             json;
} Context;

static const char usage[] =
  "Commands:\n"
  "  init [--name NAME]                       Create the data folder, the server key and the database\n"
  "  member add ID --name NAME --role ROLE    Add a member; prints a one-time enrolment code\n"
  "  member code ID                           Print a new enrolment code (for another device)\n"
  "  member list                              List the members\n"
  "  member remove ID                         Remove a member and revoke their devices\n"
  "  meeting create --title T [options]       Create a meeting of all current members\n"
  "  meeting list                             List the meetings\n"
  "  serve [--listen ADDR] [--port N]         Run the server\n"
  "  export --meeting ID --out FILE           Write a meeting's complete record\n"
  "  backup --out FILE                        Write a consistent copy of the database\n"
  "\n"
  "Roles: chair, deputy, member, minute-taker, staff, guest.\n"
  "Add --json after the command for machine-readable output.\n";

static gboolean
fail_usage (const char  *message,
            GError     **error)
{
  g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD, "%s\n\n%s", message, usage);
  return FALSE;
}

static GremiumServerDatabase *
open_database (Context  *ctx,
               GError  **error)
{
  g_autofree char *path = gremium_server_config_dup_database_path (ctx->config);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "No database in %s; run “gremium-server init” first", ctx->config->data_dir);
      return NULL;
    }

  return gremium_server_database_open (path, error);
}

static GremiumIdentity *
load_identity (Context  *ctx,
               GError  **error)
{
  g_autofree char *path = gremium_server_config_dup_key_path (ctx->config);

  return gremium_identity_load (path, error);
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = _gremium_json_to_string (node);

  g_print ("%s\n", text);
}

static gboolean
command_init (Context  *ctx,
              int       argc,
              char    **argv,
              GError  **error)
{
  g_autoptr(GremiumIdentity) identity = NULL;
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autofree char *key_path = gremium_server_config_dup_key_path (ctx->config);
  g_autofree char *db_path = gremium_server_config_dup_database_path (ctx->config);
  g_autofree char *fingerprint = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The server's name (its host name)", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- create the server's data");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (name != NULL)
    {
      g_free (ctx->config->name);
      ctx->config->name = g_strdup (name);
      if (!gremium_server_config_validate (ctx->config, error))
        return FALSE;
    }

  if (g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      identity = gremium_identity_load (key_path, error);
      if (identity == NULL)
        return FALSE;
      g_printerr ("The server key already exists; keeping it.\n");
    }
  else
    {
      identity = gremium_identity_new ();
      if (!gremium_identity_save (identity, key_path, error))
        return FALSE;
    }

  db = gremium_server_database_open (db_path, error);
  if (db == NULL)
    return FALSE;

  fingerprint = gremium_identity_dup_fingerprint (identity);
  if (ctx->json)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *key = gremium_identity_dup_public_key_base64 (identity);

      json_object_set_string_member (object, "data", ctx->config->data_dir);
      json_object_set_string_member (object, "key", key);
      json_object_set_string_member (object, "fingerprint", fingerprint);
      json_node_set_object (node, object);
      print_json (node);
    }
  else
    {
      g_print ("Data folder: %s\n", ctx->config->data_dir);
      g_print ("Server key fingerprint: %s\n", fingerprint);
      g_print ("Members compare this fingerprint when their client connects the first time.\n");
    }

  return TRUE;
}

static gboolean
issue_code (Context                *ctx,
            GremiumServerDatabase  *db,
            const char             *member_id,
            GError                **error)
{
  g_autofree char *code = gremium_enrolment_code_generate ();
  g_autofree char *expires_text = NULL;
  gint64 expires = g_get_real_time () +
                   (gint64) ctx->config->enrolment_code_days * G_TIME_SPAN_DAY;

  if (!gremium_server_database_add_enrolment_code (db, member_id, code, expires, error))
    return FALSE;

  expires_text = gremium_time_format (expires);
  if (ctx->json)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (object, "member", member_id);
      json_object_set_string_member (object, "code", code);
      json_object_set_string_member (object, "expires", expires_text);
      json_node_set_object (node, object);
      print_json (node);
    }
  else
    {
      g_print ("Enrolment code for %s: %s\n", member_id, code);
      g_print ("It works once, until %s. Hand it over in person or by letter.\n", expires_text);
    }

  return TRUE;
}

static gboolean
command_member (Context  *ctx,
                int       argc,
                char    **argv,
                GError  **error)
{
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, "Role", "ROLE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- manage members");
  const char *action;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (argc < 2)
    return fail_usage ("Which member command?", error);

  action = argv[1];
  if (!(db = open_database (ctx, error)))
    return FALSE;

  if (g_str_equal (action, "add"))
    {
      GremiumRole role;

      if (argc != 3)
        return fail_usage ("member add needs exactly one member id", error);
      if (!_gremium_id_is_valid (argv[2]))
        return fail_usage ("A member id has 1 to 64 characters from a-z, 0-9, “.”, “_” and “-”",
                           error);
      if (name == NULL || !_gremium_text_is_valid (name, 200) || name[0] == '\0')
        return fail_usage ("member add needs --name with 1 to 200 printable characters", error);
      if (role_text == NULL || !gremium_role_from_string (role_text, &role))
        return fail_usage ("member add needs --role", error);

      if (!gremium_server_database_add_member (db, argv[2], name, role, error))
        return FALSE;

      return issue_code (ctx, db, argv[2], error);
    }
  else if (g_str_equal (action, "code"))
    {
      g_autoptr(GremiumServerMemberInfo) info = NULL;

      if (argc != 3)
        return fail_usage ("member code needs exactly one member id", error);
      if (!(info = gremium_server_database_lookup_member (db, argv[2], error)))
        return FALSE;

      return issue_code (ctx, db, argv[2], error);
    }
  else if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) members = gremium_server_database_list_members (db, error);
      g_autoptr(JsonArray) array = json_array_new ();

      if (members == NULL)
        return FALSE;

      for (guint i = 0; i < members->len; i++)
        {
          GremiumServerMemberInfo *info = g_ptr_array_index (members, i);
          g_autoptr(GPtrArray) keys = gremium_server_database_list_keys (db, info->id, error);

          if (keys == NULL)
            return FALSE;

          if (ctx->json)
            {
              g_autoptr(JsonObject) object = json_object_new ();

              json_object_set_string_member (object, "id", info->id);
              json_object_set_string_member (object, "name", info->name);
              json_object_set_string_member (object, "role", gremium_role_to_string (info->role));
              json_object_set_int_member (object, "devices", keys->len);
              json_array_add_object_element (array, g_steal_pointer (&object));
            }
          else
            {
              g_print ("%-20s %-14s %u device(s)  %s\n", info->id,
                       gremium_role_to_string (info->role), keys->len, info->name);
            }
        }

      if (ctx->json)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

          json_node_set_array (node, array);
          print_json (node);
        }

      return TRUE;
    }
  else if (g_str_equal (action, "remove"))
    {
      if (argc != 3)
        return fail_usage ("member remove needs exactly one member id", error);

      if (!gremium_server_database_remove_member (db, argv[2], error))
        return FALSE;

      if (!ctx->json)
        g_print ("Removed %s; their devices can no longer log in.\n", argv[2]);
      return TRUE;
    }

  return fail_usage ("Unknown member command", error);
}

static gboolean
parse_local_time (const char  *text,
                  gint64      *out)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *with_seconds = NULL;

  if (text == NULL)
    return FALSE;

  dt = g_date_time_new_from_iso8601 (text, local);
  if (dt == NULL)
    {
      /* Accept the short form people type, "2026-11-26T17:00". */
      with_seconds = g_strconcat (text, ":00", NULL);
      dt = g_date_time_new_from_iso8601 (with_seconds, local);
    }

  if (dt == NULL)
    return FALSE;

  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
command_meeting (Context  *ctx,
                 int       argc,
                 char    **argv,
                 GError  **error)
{
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body_name = NULL;
  g_autofree char *place = NULL;
  g_autofree char *scheduled_text = NULL;
  g_auto(GStrv) items = NULL;
  g_auto(GStrv) nonpublic_items = NULL;
  g_auto(GStrv) order = NULL;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title of the meeting", "TITLE" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body_name, "The council or committee", "NAME" },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, "Where it meets", "PLACE" },
    { "scheduled", 0, 0, G_OPTION_ARG_STRING, &scheduled_text, "Start, e.g. 2026-11-26T17:00", "TIME" },
    { "item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &items, "A public agenda item (repeat)", "TITLE" },
    { "item-nonpublic", 0, 0, G_OPTION_ARG_STRING_ARRAY, &nonpublic_items,
      "A non-public agenda item (repeat)", "TITLE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- manage meetings");
  const char *action;

  /* GOption collects the two item lists separately; the agenda keeps the
   * order in which they were given on the command line.
   */
  order = g_strdupv (argv);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (argc < 2)
    return fail_usage ("Which meeting command?", error);

  action = argv[1];
  if (!(db = open_database (ctx, error)))
    return FALSE;

  if (g_str_equal (action, "create"))
    {
      g_autoptr(GremiumIdentity) identity = NULL;
      g_autoptr(GArray) agenda = g_array_new (FALSE, FALSE, sizeof (GremiumServerAgendaItemSpec));
      g_autofree char *id = NULL;
      gint64 scheduled = g_get_real_time ();
      guint next_public = 0, next_nonpublic = 0;

      if (title == NULL || title[0] == '\0')
        return fail_usage ("meeting create needs --title", error);
      if (scheduled_text != NULL && !parse_local_time (scheduled_text, &scheduled))
        return fail_usage ("--scheduled must look like 2026-11-26T17:00", error);

      for (guint i = 0; order[i] != NULL; i++)
        {
          GremiumServerAgendaItemSpec spec = { 0 };
          gboolean is_public = g_str_has_prefix (order[i], "--item=") ||
                               g_str_equal (order[i], "--item");
          gboolean is_nonpublic = g_str_has_prefix (order[i], "--item-nonpublic");

          if (is_public && items != NULL && items[next_public] != NULL)
            {
              spec.title = items[next_public++];
              spec.is_public = TRUE;
              g_array_append_val (agenda, spec);
            }
          else if (is_nonpublic && nonpublic_items != NULL && nonpublic_items[next_nonpublic] != NULL)
            {
              spec.title = nonpublic_items[next_nonpublic++];
              spec.is_public = FALSE;
              g_array_append_val (agenda, spec);
            }
        }

      if (!(identity = load_identity (ctx, error)))
        return FALSE;

      id = gremium_server_meeting_create (db, identity, ctx->config->name, title,
                                          body_name ? body_name : "",
                                          place ? place : "", scheduled,
                                          ctx->config->quorum_base,
                                          (GremiumServerAgendaItemSpec *) (gpointer) agenda->data,
                                          agenda->len, error);
      if (id == NULL)
        return FALSE;

      if (ctx->json)
        {
          g_autoptr(JsonObject) object = json_object_new ();
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

          json_object_set_string_member (object, "meeting", id);
          json_node_set_object (node, object);
          print_json (node);
        }
      else
        {
          g_print ("Created meeting %s with %u agenda items.\n", id, agenda->len);
        }

      return TRUE;
    }
  else if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) meetings = gremium_server_database_list_meetings (db, error);

      if (meetings == NULL)
        return FALSE;

      for (guint i = 0; i < meetings->len; i++)
        {
          GremiumServerMeetingInfo *info = g_ptr_array_index (meetings, i);
          g_autofree char *when = gremium_time_format (info->scheduled);

          g_print ("%s  %s  %s\n", info->id, when, info->title);
        }

      return TRUE;
    }

  return fail_usage ("Unknown meeting command", error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
command_serve (Context  *ctx,
               int       argc,
               char    **argv,
               GError  **error)
{
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autoptr(GremiumIdentity) identity = NULL;
  g_autoptr(GremiumServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  int port = -1;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port (0 picks a free one)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- run the server");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (listen != NULL)
    {
      g_free (ctx->config->listen_address);
      ctx->config->listen_address = g_strdup (listen);
    }
  if (port >= 0)
    {
      if (port > 65535)
        return fail_usage ("--port must be from 0 to 65535", error);
      ctx->config->port = port;
    }

  if (!(db = open_database (ctx, error)) ||
      !(identity = load_identity (ctx, error)))
    return FALSE;

#ifdef G_OS_UNIX
  /* libsoup stops accepting for good once accept() fails with EMFILE, so
   * make sure the configured number of connections fits into the file
   * descriptor limit: raise the soft limit to the hard one, and warn when
   * even that is too small.
   */
  {
    struct rlimit limit;

    if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
      {
        if (limit.rlim_cur < limit.rlim_max)
          {
            limit.rlim_cur = limit.rlim_max;
            setrlimit (RLIMIT_NOFILE, &limit);
            getrlimit (RLIMIT_NOFILE, &limit);
          }

        if (limit.rlim_cur != RLIM_INFINITY &&
            limit.rlim_cur < (rlim_t) ctx->config->max_connections + 64)
          g_warning ("The file descriptor limit (%lu) is below max-connections (%u) plus a "
                     "reserve; raise LimitNOFILE or lower max-connections",
                     (unsigned long) limit.rlim_cur, ctx->config->max_connections);
      }
  }
#endif

  server = gremium_server_new (ctx->config, db, identity);
  if (!gremium_server_listen (server, error))
    return FALSE;

  url = gremium_server_dup_url (server);
  fingerprint = gremium_identity_dup_fingerprint (identity);

  /* One line a supervisor or a test can wait for. */
  g_print ("gremium-server listening on %s (key %s)\n", url, fingerprint);

  loop = g_main_loop_new (NULL, FALSE);
#ifdef G_OS_UNIX
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
#endif
  g_main_loop_run (loop);

  g_print ("gremium-server stopping\n");
  gremium_server_shutdown (server);

  return TRUE;
}

static gboolean
command_export (Context  *ctx,
                int       argc,
                char    **argv,
                GError  **error)
{
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autoptr(GremiumIdentity) identity = NULL;
  g_autoptr(GremiumServerMeeting) meeting = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *meeting_id = NULL;
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "meeting", 0, 0, G_OPTION_ARG_STRING, &meeting_id, "The meeting", "ID" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The file to write", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- export a meeting's record");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (meeting_id == NULL || out == NULL)
    return fail_usage ("export needs --meeting and --out", error);

  if (!(db = open_database (ctx, error)) ||
      !(identity = load_identity (ctx, error)) ||
      !(meeting = gremium_server_meeting_load (db, identity, meeting_id, error)))
    return FALSE;

  file = g_file_new_for_commandline_arg (out);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;

  if (!gremium_server_meeting_export (meeting, G_OUTPUT_STREAM (stream), error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    return FALSE;

  if (!ctx->json)
    g_print ("Wrote %" G_GUINT64_FORMAT " entries of meeting %s to %s\n",
             gremium_server_meeting_get_size (meeting), meeting_id, out);

  return TRUE;
}

static gboolean
command_backup (Context  *ctx,
                int       argc,
                char    **argv,
                GError  **error)
{
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The backup file to write", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- back up the database");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (out == NULL)
    return fail_usage ("backup needs --out", error);

  if (!(db = open_database (ctx, error)) ||
      !gremium_server_database_backup (db, out, error))
    return FALSE;

  if (!ctx->json)
    g_print ("Wrote a backup of the database to %s (the server key is not in it; "
             "back up %s separately and keep it safe)\n",
             out, ctx->config->data_dir);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GremiumServerConfig) config = gremium_server_config_new_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *data_dir = NULL;
  Context ctx = { 0 };
  int first = 1;
  gboolean ok;
  const char *command;

  setlocale (LC_ALL, "");

  if (!gremium_crypto_init (&error))
    {
      g_printerr ("gremium-server: %s\n", error->message);
      return 1;
    }

  /* Global options come before the command. */
  while (first < argc && g_str_has_prefix (argv[first], "--"))
    {
      if (g_str_equal (argv[first], "--config") && first + 1 < argc)
        config_path = g_strdup (argv[first + 1]), first += 2;
      else if (g_str_equal (argv[first], "--data") && first + 1 < argc)
        data_dir = g_strdup (argv[first + 1]), first += 2;
      else if (g_str_equal (argv[first], "--help"))
        {
          g_print ("Usage: gremium-server [--config FILE] [--data DIR] COMMAND …\n\n%s", usage);
          return 0;
        }
      else if (g_str_equal (argv[first], "--version"))
        {
          g_print ("gremium-server %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        {
          g_printerr ("gremium-server: unknown option %s\n\n%s", argv[first], usage);
          return 2;
        }
    }

  if (first >= argc)
    {
      g_printerr ("Usage: gremium-server [--config FILE] [--data DIR] COMMAND …\n\n%s", usage);
      return 2;
    }

  if (config_path != NULL && !gremium_server_config_load (config, config_path, &error))
    {
      g_printerr ("gremium-server: %s\n", error->message);
      return 1;
    }

  if (data_dir != NULL)
    {
      g_free (config->data_dir);
      config->data_dir = g_steal_pointer (&data_dir);
    }

  ctx.config = config;
  command = argv[first];

  /* Each command parses its own options; "--json" is shared. */
  {
    g_autoptr(GPtrArray) args = g_ptr_array_new ();

    g_ptr_array_add (args, argv[0]);
    for (int i = first + 1; i < argc; i++)
      {
        if (g_str_equal (argv[i], "--json"))
          ctx.json = TRUE;
        else
          g_ptr_array_add (args, argv[i]);
      }
    g_ptr_array_add (args, NULL);

    if (g_str_equal (command, "init"))
      ok = command_init (&ctx, args->len - 1, (char **) args->pdata, &error);
    else if (g_str_equal (command, "member"))
      ok = command_member (&ctx, args->len - 1, (char **) args->pdata, &error);
    else if (g_str_equal (command, "meeting"))
      ok = command_meeting (&ctx, args->len - 1, (char **) args->pdata, &error);
    else if (g_str_equal (command, "serve"))
      ok = command_serve (&ctx, args->len - 1, (char **) args->pdata, &error);
    else if (g_str_equal (command, "export"))
      ok = command_export (&ctx, args->len - 1, (char **) args->pdata, &error);
    else if (g_str_equal (command, "backup"))
      ok = command_backup (&ctx, args->len - 1, (char **) args->pdata, &error);
    else
      {
        g_printerr ("gremium-server: unknown command “%s”\n\n%s", command, usage);
        return 2;
      }
  }

  if (!ok)
    {
      g_printerr ("gremium-server: %s\n", error->message);
      return g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD) ? 2 : 1;
    }

  return 0;
}
