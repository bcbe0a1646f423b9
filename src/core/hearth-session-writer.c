/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placeholder: implemented by the store/stream work */
#include "config.h"
