/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-error.h"

G_DEFINE_QUARK (hearth-store-error-quark, hearth_store_error)
G_DEFINE_QUARK (hearth-folded-error-quark, hearth_folded_error)
G_DEFINE_QUARK (hearth-stream-error-quark, hearth_stream_error)
