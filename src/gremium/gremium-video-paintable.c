/* gremium-video-paintable.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-video-paintable"

#include "config.h"

#include "gremium-video-paintable.h"

/**
 * GremiumVideoPaintable:
 *
 * One participant's picture as a #GdkPaintable: the newest decoded frame,
 * turned into a #GdkMemoryTexture. Debian 12 has no GTK 4 video sink, so the
 * media library hands over RGBA frames and this object makes them paintable.
 *
 * A tile keeps the same paintable for as long as the picture comes; each new
 * frame only invalidates its contents (and its size when that changes), so
 * the window repaints the picture without laying out the grid again.
 */
struct _GremiumVideoPaintable
{
  GObject     parent_instance;

  GdkTexture *texture;
  guint64     n_frames;
  gint64      last_frame_time;
};

static void gremium_video_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GremiumVideoPaintable, gremium_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      gremium_video_paintable_iface_init))

static void
gremium_video_paintable_snapshot (GdkPaintable *paintable,
                                  GdkSnapshot  *snapshot,
                                  double        width,
                                  double        height)
{
  GremiumVideoPaintable *self = GREMIUM_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
gremium_video_paintable_get_current_image (GdkPaintable *paintable)
{
  GremiumVideoPaintable *self = GREMIUM_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));

  return gdk_paintable_new_empty (0, 0);
}

static int
gremium_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  GremiumVideoPaintable *self = GREMIUM_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
gremium_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  GremiumVideoPaintable *self = GREMIUM_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static void
gremium_video_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = gremium_video_paintable_snapshot;
  iface->get_current_image = gremium_video_paintable_get_current_image;
  iface->get_intrinsic_width = gremium_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = gremium_video_paintable_get_intrinsic_height;
}

static void
gremium_video_paintable_dispose (GObject *object)
{
  GremiumVideoPaintable *self = (GremiumVideoPaintable *) object;

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (gremium_video_paintable_parent_class)->dispose (object);
}

static void
gremium_video_paintable_class_init (GremiumVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_video_paintable_dispose;
}

static void
gremium_video_paintable_init (GremiumVideoPaintable *self)
{
}

GremiumVideoPaintable *
gremium_video_paintable_new (void)
{
  return g_object_new (GREMIUM_TYPE_VIDEO_PAINTABLE, NULL);
}

/**
 * gremium_video_paintable_push_frame:
 * @self: a paintable
 * @pixels: the frame, 8-bit RGBA, not premultiplied
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes from one row to the next
 *
 * Shows @pixels from now on. The texture keeps a reference on @pixels.
 */
void
gremium_video_paintable_push_frame (GremiumVideoPaintable *self,
                                    GBytes                *pixels,
                                    guint                  width,
                                    guint                  height,
                                    guint                  stride)
{
  gboolean resized;

  g_return_if_fail (GREMIUM_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (pixels != NULL);

  /* A frame that does not hold what it claims is dropped, not painted. */
  if (width == 0 || height == 0 || stride < width * 4 ||
      g_bytes_get_size (pixels) < (gsize) stride * (height - 1) + width * 4)
    return;

  resized = self->texture == NULL ||
            gdk_texture_get_width (self->texture) != (int) width ||
            gdk_texture_get_height (self->texture) != (int) height;

  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, stride);
  self->n_frames++;
  self->last_frame_time = g_get_monotonic_time ();

  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/**
 * gremium_video_paintable_get_texture:
 * @self: a paintable
 *
 * Returns: (transfer none) (nullable): the frame shown now
 */
GdkTexture *
gremium_video_paintable_get_texture (GremiumVideoPaintable *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture;
}

/**
 * gremium_video_paintable_get_n_frames:
 * @self: a paintable
 *
 * Returns: how many frames were shown so far
 */
guint64
gremium_video_paintable_get_n_frames (GremiumVideoPaintable *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_PAINTABLE (self), 0);

  return self->n_frames;
}

/**
 * gremium_video_paintable_get_last_frame_time:
 * @self: a paintable
 *
 * Returns: the monotonic time of the newest frame, 0 before the first one
 */
gint64
gremium_video_paintable_get_last_frame_time (GremiumVideoPaintable *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_PAINTABLE (self), 0);

  return self->last_frame_time;
}
