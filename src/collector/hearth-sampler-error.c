/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-sampler-error.h"

G_DEFINE_QUARK (hearth-sampler-error-quark, hearth_sampler_error)
