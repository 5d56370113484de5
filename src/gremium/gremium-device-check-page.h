/* gremium-device-check-page.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-media-controller.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_DEVICE_CHECK_PAGE (gremium_device_check_page_get_type ())

G_DECLARE_FINAL_TYPE (GremiumDeviceCheckPage, gremium_device_check_page, GREMIUM, DEVICE_CHECK_PAGE, AdwBin)

void gremium_device_check_page_set_media         (GremiumDeviceCheckPage *self,
                                                  GremiumMediaController           *media,
                                                  GSettings              *settings);
void gremium_device_check_page_set_meeting_title (GremiumDeviceCheckPage *self,
                                                  const char             *title);

G_END_DECLS
