/* gremium-statement.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gremium-identity.h"

G_BEGIN_DECLS

/* DSSE payload types. Each kind of signed document has its own, so that a
 * signature over one can never be presented as another.
 */
#define GREMIUM_PAYLOAD_TYPE_STATEMENT "application/vnd.gremium.statement+json"
#define GREMIUM_PAYLOAD_TYPE_AUTH      "application/vnd.gremium.auth+json"

/* The author of statements the server signs itself. Member ids cannot start
 * with '@', so this can never name a member.
 */
#define GREMIUM_AUTHOR_SERVER "@server"

/* Statements members submit are bounded far lower by the protocol (64 KiB per
 * message); this bound is for the server's meeting.create, whose roster of up
 * to 1 000 members with their keys needs room.
 */
#define GREMIUM_STATEMENT_MAX_SIZE (768 * 1024)

#define GREMIUM_TYPE_STATEMENT (gremium_statement_get_type ())

G_DECLARE_FINAL_TYPE (GremiumStatement, gremium_statement, GREMIUM, STATEMENT, GObject)

GBytes           *gremium_pae_encode                  (const char        *payload_type,
                                                       GBytes            *payload) G_GNUC_WARN_UNUSED_RESULT;
GremiumStatement *gremium_statement_new_signed        (GremiumIdentity   *identity,
                                                       const char        *payload_type,
                                                       GBytes            *payload) G_GNUC_WARN_UNUSED_RESULT;
GremiumStatement *gremium_statement_build             (GremiumIdentity   *identity,
                                                       const char        *kind,
                                                       const char        *meeting_id,
                                                       const char        *author,
                                                       gint64             time_usec,
                                                       JsonObject        *data) G_GNUC_WARN_UNUSED_RESULT;
GremiumStatement *gremium_statement_new_from_json     (const char        *json,
                                                       gssize             len,
                                                       GError           **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumStatement *gremium_statement_new_from_object   (JsonObject        *envelope,
                                                       GError           **error) G_GNUC_WARN_UNUSED_RESULT;
char             *gremium_statement_to_json           (GremiumStatement  *self) G_GNUC_WARN_UNUSED_RESULT;
JsonNode         *gremium_statement_to_json_node      (GremiumStatement  *self) G_GNUC_WARN_UNUSED_RESULT;
const char       *gremium_statement_get_payload_type  (GremiumStatement  *self);
GBytes           *gremium_statement_get_payload       (GremiumStatement  *self);
const guint8     *gremium_statement_get_signer_key    (GremiumStatement  *self);
const guint8     *gremium_statement_get_signature     (GremiumStatement  *self);
gboolean          gremium_statement_verify            (GremiumStatement  *self,
                                                       const guint8       public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                                       GError           **error);
void              gremium_statement_get_hash          (GremiumStatement  *self,
                                                       guint8             hash[GREMIUM_HASH_SIZE]);

gboolean          gremium_statement_parse_body        (GremiumStatement  *self,
                                                       GError           **error);
const char       *gremium_statement_get_kind          (GremiumStatement  *self);
const char       *gremium_statement_get_meeting_id    (GremiumStatement  *self);
const char       *gremium_statement_get_author        (GremiumStatement  *self);
gint64            gremium_statement_get_time          (GremiumStatement  *self);
const char       *gremium_statement_get_nonce         (GremiumStatement  *self);
JsonObject       *gremium_statement_get_data          (GremiumStatement  *self);

G_END_DECLS
