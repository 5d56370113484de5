/* gremium-server-config.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include <gremium-meeting-types.h>

G_BEGIN_DECLS

/**
 * GremiumServerConfig:
 * @name: the server's name, shown to clients and naming its checkpoint key
 * @listen_address: the address to listen on, e.g. `127.0.0.1` or `::`
 * @port: the TCP port
 * @data_dir: the folder with the database and the server key
 * @tls_certificate: (nullable): PEM certificate chain for `wss://`
 * @tls_key: (nullable): PEM private key for @tls_certificate
 * @max_connections: connections the server accepts in total
 * @max_connections_per_member: logged-in connections per member
 * @enrolment_code_days: how long an enrolment code stays valid
 * @quorum_base: the quorum rule written into new meetings
 *
 * The server's configuration, read from a key file (see
 * `data/gremium-server.conf.example`) and overridden by command-line options.
 */
typedef struct
{
  char              *name;
  char              *listen_address;
  guint              port;
  char              *data_dir;
  char              *tls_certificate;
  char              *tls_key;
  guint              max_connections;
  guint              max_connections_per_member;
  guint              enrolment_code_days;
  GremiumQuorumBase  quorum_base;
} GremiumServerConfig;

GremiumServerConfig *gremium_server_config_new_default (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean             gremium_server_config_load        (GremiumServerConfig  *self,
                                                        const char           *path,
                                                        GError              **error);
gboolean             gremium_server_config_validate    (GremiumServerConfig  *self,
                                                        GError              **error);
char                *gremium_server_config_dup_database_path (GremiumServerConfig *self) G_GNUC_WARN_UNUSED_RESULT;
char                *gremium_server_config_dup_key_path      (GremiumServerConfig *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean             gremium_server_config_is_loopback (GremiumServerConfig  *self);
void                 gremium_server_config_free        (GremiumServerConfig  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumServerConfig, gremium_server_config_free)

G_END_DECLS
