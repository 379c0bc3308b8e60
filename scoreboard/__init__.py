"""Vietnam digital-transformation scoreboard: data -> model -> derive -> render -> site.

Stages, one module each:
    validate  check the data packages and explain problems in plain words
    model     load the packages into pandas tables
    derive    status against targets, changes, league tables, discrepancies
    render    Markdown pages, charts and downloads into site_src/build
    site      MkDocs builds for both languages, post-processing, atomic swap
"""
