#include <libpsl.h>

/* PSL_TYPE_ANY is a macro expression Swift does not import. */
static const int cw_psl_type_any = PSL_TYPE_ANY;
