/* gremium-auth.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-statement.h"

G_BEGIN_DECLS

#define GREMIUM_AUTH_PURPOSE_LOGIN "login"
#define GREMIUM_AUTH_PURPOSE_ENROL "enrol"

GremiumStatement *gremium_auth_proof_new    (GremiumIdentity   *identity,
                                             const char        *purpose,
                                             const char        *server_key,
                                             const char        *challenge,
                                             const char        *member_id,
                                             gint64             time_usec) G_GNUC_WARN_UNUSED_RESULT;
char             *gremium_auth_proof_verify (GremiumStatement  *proof,
                                             const char        *purpose,
                                             const char        *server_key,
                                             const char        *challenge,
                                             gint64             now_usec,
                                             GError           **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
