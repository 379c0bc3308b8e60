"""Draw one Vega spec to SVG. Kept apart, importing nothing but vl_convert, so that
worker processes start quickly (they are spawned: vl_convert's engine runs threads,
which a forked process must not inherit)."""

import vl_convert


def draw(job: tuple) -> str:
    spec, format_locale = job
    return vl_convert.vega_to_svg(spec, format_locale=format_locale, allowed_base_urls=[])
