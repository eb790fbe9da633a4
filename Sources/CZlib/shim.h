// The only door to zlib. `inflateInit2` is a macro, which Swift cannot call, so it is wrapped
// in a static inline function here.
#ifndef SLIMLAB_CZLIB_SHIM_H
#define SLIMLAB_CZLIB_SHIM_H

#include <zlib.h>

/// Starts inflating a gzip stream (window bits 15, +16 selects the gzip wrapper).
static inline int slimlab_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif
