from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'sheet.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_sheet = resolve('sheet')
    try:
        t_1 = environment.filters['breakable']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'breakable' found.")
    try:
        t_2 = environment.filters['capitalize']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'capitalize' found.")
    try:
        t_3 = environment.filters['ghs_svg']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'ghs_svg' found.")
    try:
        t_4 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    yield '<!DOCTYPE html><html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="benchsheet">\n<meta name="benchsheet-content-hash" content="'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'content_hash'))
    yield '">\n<title>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'title'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'):
        pass
        yield ' ('
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'))
        yield ')'
    yield '</title>\n<style>\n'
    template = environment.get_template('sheet.css.j2', 'sheet.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</style>\n</head>\n<body class="paper-'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'paper'))
    yield '">\n<header>\n<h1>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'title'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'):
        pass
        yield ' <span class="variant">'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'))
        yield '</span>'
    yield '</h1>\n<table class="meta">\n<tr><th>Protocol</th><td><code>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'protocol_id'))
    yield '</code>, version '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'version'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'):
        pass
        yield ', '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'))
    yield '</td><th>File</th><td>'
    yield escape(t_1(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'file')))
    yield ', sha256 <code>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'content_hash'))
    yield '</code></td></tr>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'):
        pass
        yield '<tr><th>Parameters</th><td colspan="3">'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'))
        yield '</td></tr>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'scale'):
        pass
        yield '<tr><th>Scaled</th><td colspan="3" class="scaled">'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'scale'))
        yield '</td></tr>\n'
    yield '</table>\n</header>\n\n<section class="hazards">\n<div class="hazard-head">\n<h2>Hazards'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word'):
        pass
        yield ' <span class="signal">'
        yield escape(t_4(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word')))
        yield '</span>'
    yield '</h2>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'pictograms'):
        pass
        yield '<div class="pictograms">\n'
        for l_1_p in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'pictograms'):
            _loop_vars = {}
            pass
            yield '<figure class="picto" title="'
            yield escape(environment.getattr(l_1_p, 'reagents'))
            yield '">'
            yield escape(t_3(environment.getattr(l_1_p, 'code'), '8mm'))
            yield '<figcaption>'
            yield escape(environment.getattr(l_1_p, 'name'))
            yield '</figcaption></figure>\n'
        l_1_p = missing
        yield '</div>\n'
    elif (not environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards')):
        pass
        yield '<p class="small">No GHS data for any reagent.</p>\n'
    yield '</div>\n<h3>Controls required'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'statements'):
        pass
        yield ' <span class="see">(each reagent\'s pictograms and H statements: appendix, Hazards in full)</span>'
    yield '</h3>\n<ul class="checklist controls">\n'
    t_5 = 1
    for l_1_control in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'controls'):
        l_1_what = missing
        _loop_vars = {}
        pass
        l_1_what = context.call(environment.getattr(l_1_control, 'partition'), ' — for ', _loop_vars=_loop_vars)
        _loop_vars['what'] = l_1_what
        yield '<li><input type="checkbox" aria-label="done"><span class="box"></span>'
        yield escape(environment.getitem((undefined(name='what') if l_1_what is missing else l_1_what), 0))
        if environment.getitem((undefined(name='what') if l_1_what is missing else l_1_what), 2):
            pass
            yield ' <span class="who">— for '
            yield escape(environment.getitem((undefined(name='what') if l_1_what is missing else l_1_what), 2))
            yield '</span>'
        yield '</li>\n'
        t_5 = 0
    l_1_control = l_1_what = missing
    if t_5:
        pass
        yield "<li>none derived from the reagents' GHS data</li>\n"
    yield '</ul>\n</section>\n\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on'):
        pass
        yield '<section class="act-on">\n<h2>Before you start</h2>\n<ul class="checklist act">\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on'):
            _loop_vars = {}
            pass
            yield '<li class="sev-'
            yield escape(environment.getattr(l_1_f, 'severity'))
            yield '"><input type="checkbox" aria-label="dealt with"><span class="box"></span><b>'
            yield escape(t_2(environment.getattr(l_1_f, 'severity')))
            yield ':</b> '
            yield escape(environment.getattr(l_1_f, 'message'))
            if environment.getattr(l_1_f, 'hint'):
                pass
                yield ' — '
                yield escape(environment.getattr(l_1_f, 'hint'))
            yield ' <span class="ids">'
            yield escape(environment.getattr(l_1_f, 'code'))
            yield '</span></li>\n'
        l_1_f = missing
        yield '</ul>\n</section>\n'
    yield '\n<section>\n<h2>Materials</h2>\n<table class="materials">\n<thead><tr><th>Id</th><th>Material</th><th>Amount</th><th>Mass</th><th>Volume</th><th>Equiv.</th><th>Weighed / dispensed</th><th>Lot / batch</th></tr></thead>\n<tbody>\n'
    l_1_loop = missing
    for l_1_m, l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'materials'), undefined):
        _loop_vars = {}
        pass
        yield '<tr><td class="mid"><b>'
        yield escape(t_1(environment.getattr(l_1_m, 'id')))
        yield '</b></td><td class="name">'
        yield escape(t_1(environment.getattr(l_1_m, 'name')))
        yield ' <span class="ids">'
        def t_6(fiter):
            for l_2_part in fiter:
                if l_2_part:
                    yield l_2_part
        l_2_loop = missing
        for l_2_part, l_2_loop in LoopContext(t_6([environment.getattr(l_1_m, 'role'), environment.getattr(l_1_m, 'cas'), markup_join((environment.getattr(l_1_m, 'form'), (', ' if (environment.getattr(l_1_m, 'form') and environment.getattr(l_1_m, 'purity')) else ''), environment.getattr(l_1_m, 'purity'), )), (markup_join(('as written: ', environment.getattr(l_1_m, 'written_if_new'), )) if environment.getattr(l_1_m, 'written_if_new') else '')]), undefined):
            _loop_vars = {}
            pass
            if (l_2_part == environment.getattr(l_1_m, 'cas')):
                pass
                yield '<span class="cas">'
                yield escape(l_2_part)
                yield '</span>'
            else:
                pass
                yield escape(l_2_part)
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ' · '
        l_2_loop = l_2_part = missing
        yield '</span>'
        if environment.getattr(l_1_m, 'total'):
            pass
            yield '<div class="total">'
            yield escape(environment.getattr(l_1_m, 'total'))
            yield '</div>'
        if environment.getattr(l_1_m, 'made_by'):
            pass
            yield '<div class="note made-by">'
            yield escape(environment.getattr(l_1_m, 'made_by'))
            yield '</div>'
        yield '</td><td class="num">'
        yield escape(environment.getattr(l_1_m, 'mmol'))
        yield '</td><td class="num">'
        yield escape(environment.getattr(l_1_m, 'mass'))
        yield '</td><td class="num">'
        yield escape(environment.getattr(l_1_m, 'volume'))
        yield '</td><td class="num eq">'
        yield escape(environment.getattr(l_1_m, 'equivalents'))
        yield '</td><td class="fill">'
        if environment.getattr(l_1_m, 'blank_unit'):
            pass
            yield '<span class="blank"></span> '
            yield escape(environment.getattr(l_1_m, 'blank_unit'))
        yield '</td><td class="fill lot">'
        if (environment.getattr(l_1_m, 'weigh') in ('mass', 'volume')):
            pass
            yield '<span class="blank"></span>'
        yield '</td></tr>\n'
    l_1_loop = l_1_m = missing
    yield '</tbody>\n</table>\n<ul class="material-notes">\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'):
        pass
        yield '<li>Equivalents are against <b>'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'))
        yield '</b>, '
        if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'reference_note'):
            pass
            yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'reference_note'))
        elif (' + ' in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting')):
            pass
            yield 'together the limiting reagents'
        else:
            pass
            yield 'the limiting reagent'
        yield '.'
        if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'portions_note'):
            pass
            yield " They count what reaches the product's vessel: "
            yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'portions_note'))
            yield ' of the amount listed.'
        yield '</li>\n'
    def t_7(fiter):
        for l_1_m in fiter:
            if (environment.getattr(l_1_m, 'note') or environment.getattr(l_1_m, 'assumed')):
                yield l_1_m
    for l_1_m in t_7(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'materials')):
        _loop_vars = {}
        pass
        yield '<li><b>'
        yield escape(t_1(environment.getattr(l_1_m, 'id')))
        yield '</b>:'
        if environment.getattr(l_1_m, 'note'):
            pass
            yield ' <span class="note">'
            yield escape(environment.getattr(l_1_m, 'note'))
            yield '</span>'
        if environment.getattr(l_1_m, 'assumed'):
            pass
            yield ' <span class="assumed">Assumed: '
            yield escape(environment.getattr(l_1_m, 'assumed'))
            yield '</span>'
        yield '</li>\n'
    l_1_m = missing
    yield '</ul>\n</section>\n\n'
    if (environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'vessels') or environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'equipment')):
        pass
        yield '<section class="equipment">\n<h3>Equipment and vessels</h3>\n<ul class="checklist inline">\n'
        for l_1_row in (environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'vessels') + environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'equipment')):
            _loop_vars = {}
            pass
            yield '<li><input type="checkbox" aria-label="ready"><span class="box"></span><b>'
            yield escape(t_1(environment.getattr(l_1_row, 'label')))
            yield '</b>: '
            yield escape(environment.getattr(l_1_row, 'text'))
            if environment.getattr(l_1_row, 'detail'):
                pass
                yield ' <span class="ids">('
                yield escape(environment.getattr(l_1_row, 'detail'))
                yield ')</span>'
            yield '</li>\n'
        l_1_row = missing
        yield '</ul>\n</section>\n'
    yield '\n<section>\n<h2>Steps</h2>\n<ol class="steps">\n'
    def loop(reciter, loop_render_func, depth=0):
        t_8 = []
        l_1_loop = missing
        for l_1_step, l_1_loop in LoopContext(reciter, undefined, loop_render_func, depth):
            l_1_range = resolve('range')
            _loop_vars = {}
            pass
            t_8.extend((
                '<li><div class="step"><input type="checkbox" aria-label="done"><span class="box"></span><b class="n">',
                escape(environment.getattr(l_1_step, 'number')),
                '.</b> ',
                escape(environment.getattr(l_1_step, 'text')),
                '</div>\n',
            ))
            if environment.getattr(l_1_step, 'note'):
                pass
                t_8.extend((
                    '<div class="note">Note: ',
                    escape(environment.getattr(l_1_step, 'note')),
                    '</div>\n',
                ))
            if environment.getattr(l_1_step, 'assumed'):
                pass
                t_8.extend((
                    '<div class="assumed">Assumed: ',
                    escape(environment.getattr(l_1_step, 'assumed')),
                    '</div>\n',
                ))
            if environment.getattr(l_1_step, 'releases'):
                pass
                t_8.extend((
                    '<div class="gas">Gas: ',
                    escape(environment.getattr(l_1_step, 'releases')),
                    '</div>\n',
                ))
            if environment.getattr(l_1_step, 'after'):
                pass
                t_8.extend((
                    '<div class="after">After this step: ',
                    escape(environment.getattr(l_1_step, 'after')),
                    '</div>\n',
                ))
            if environment.getattr(l_1_step, 'cycles'):
                pass
                t_8.append(
                    '<div class="cycles">cycles ',
                )
                for l_2_n in context.call((undefined(name='range') if l_1_range is missing else l_1_range), 1, (environment.getattr(l_1_step, 'cycles') + 1), _loop_vars=_loop_vars):
                    _loop_vars = {}
                    pass
                    t_8.extend((
                        '<span class="cycle"><span class="box"></span>',
                        escape(l_2_n),
                        '</span>',
                    ))
                l_2_n = missing
                t_8.append(
                    '</div>\n',
                )
            t_8.append(
                '<div class="record">',
            )
            for l_2_blank in environment.getattr(l_1_step, 'sized_blanks'):
                _loop_vars = {}
                pass
                t_8.extend((
                    '<span class="field ',
                    escape(environment.getattr(l_2_blank, 'size')),
                    '">',
                    escape(environment.getattr(l_2_blank, 'label')),
                    ' <span class="blank"></span></span>',
                ))
            l_2_blank = missing
            t_8.append(
                '</div>\n',
            )
            if environment.getattr(l_1_step, 'substeps'):
                pass
                t_8.extend((
                    '<ol class="steps sub">',
                    escape(context.call(l_1_loop, environment.getattr(l_1_step, 'substeps'), _loop_vars=_loop_vars)),
                    '</ol>',
                ))
            t_8.append(
                '</li>\n',
            )
        return Markup(concat(t_8))
    yield loop(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'steps'), loop)
    yield '</ol>\n</section>\n\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
        pass
        yield '<section class="results">\n<h2>Results</h2>\n<table>\n<tr><th>Product</th><th>Theoretical</th><th>Obtained</th><th>Yield</th><th>Appearance, observations</th></tr>\n'
        for l_1_r in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
            _loop_vars = {}
            pass
            yield '<tr><td>'
            yield escape(environment.getattr(l_1_r, 'label'))
            yield ' <span class="ids">('
            yield escape(environment.getattr(l_1_r, 'detail'))
            yield ')</span></td><td>'
            yield escape(environment.getattr(l_1_r, 'text'))
            yield '</td><td></td><td class="pct">%</td><td></td></tr>\n'
        l_1_r = missing
        yield '</table>\n</section>\n'
    yield '\n<section class="signoff">\n<h3>Sign-off</h3>\n'
    for l_1_who in ('Performed by', 'Checked by'):
        _loop_vars = {}
        pass
        yield '<div class="record"><span class="field line">'
        yield escape(l_1_who)
        yield ' <span class="blank"></span></span><span class="field short">date <span class="blank"></span></span><span class="field medium">signature <span class="blank"></span></span></div>\n'
    l_1_who = missing
    yield '</section>\n\n<div class="appendix">\n<h2 class="appendix-title">Appendix</h2>\n<section>\n<h3>Source</h3>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'):
        pass
        yield '<p class="small">'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'))
        yield '</p>\n'
    yield '<p class="small">'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi'):
        pass
        yield '<a href="'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi_url'))
        yield '">doi:'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi'))
        yield '</a>, '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'section'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'citation'):
        pass
        yield '; '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'citation'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'authors'):
        pass
        yield '. Protocol written by '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'authors'))
        if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'license'):
            pass
            yield ' ('
            yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'license'))
            yield ')'
    yield '.</p>\n</section>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'):
        pass
        yield '<section>\n<h3>Hazards in full</h3>\n<table class="small">\n<tr><th>Reagent</th><th>Signal word</th><th>Pictograms</th><th>H statements</th></tr>\n'
        for l_1_h in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'):
            _loop_vars = {}
            pass
            yield '<tr><td>'
            yield escape(t_1(environment.getattr(l_1_h, 'name')))
            yield ' <span class="ids">('
            yield escape(environment.getattr(l_1_h, 'materials'))
            yield ')</span></td><td>'
            yield escape(environment.getattr(l_1_h, 'signal_word'))
            yield '</td><td class="pictos">'
            for l_2_p in environment.getattr(l_1_h, 'pictograms'):
                _loop_vars = {}
                pass
                yield escape(t_3(environment.getattr(l_2_p, 'code'), '6mm'))
            l_2_p = missing
            yield '</td><td>'
            yield escape(environment.getattr(l_1_h, 'h_codes'))
            yield '</td></tr>\n'
        l_1_h = missing
        yield '</table>\n<ul class="statements small">\n'
        for l_1_s in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'statements'):
            _loop_vars = {}
            pass
            yield '<li><b>'
            yield escape(environment.getattr(l_1_s, 'code'))
            yield '</b> '
            yield escape(environment.getattr(l_1_s, 'text'))
            yield ' <span class="ids">('
            yield escape(environment.getattr(l_1_s, 'reagents'))
            yield ')</span></li>\n'
        l_1_s = missing
        yield '</ul>\n</section>\n'
    yield '\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'figures'):
        pass
        yield '<section>\n<h3>Computed</h3>\n<table class="small">\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'figures'):
            _loop_vars = {}
            pass
            yield '<tr><th>'
            yield escape(environment.getattr(l_1_f, 'label'))
            yield '</th><td>'
            yield escape(environment.getattr(l_1_f, 'text'))
            yield '</td><td>'
            yield escape(environment.getattr(l_1_f, 'detail'))
            yield '</td></tr>\n'
        l_1_f = missing
        yield '</table>\n</section>\n'
    yield '\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'assumptions'):
        pass
        yield '<section>\n<h3>Assumptions</h3>\n<ul class="small">'
        for l_1_a in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'assumptions'):
            _loop_vars = {}
            pass
            yield '<li>'
            yield escape(l_1_a)
            yield '</li>'
        l_1_a = missing
        yield '</ul>\n</section>\n'
    yield '\n<section>\n<h3>Findings</h3>\n<p class="small">'
    template = environment.get_template('counts.j2', 'sheet.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</p>\n<ul class="findings small">\n'
    for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'findings'):
        _loop_vars = {}
        pass
        yield '<li class="sev-'
        yield escape(environment.getattr(l_1_f, 'severity'))
        if environment.getattr(l_1_f, 'acknowledged'):
            pass
            yield ' acknowledged'
        yield '"><b>'
        yield escape(environment.getattr(l_1_f, 'code'))
        yield '</b> '
        yield escape(environment.getattr(l_1_f, 'severity'))
        if environment.getattr(l_1_f, 'acknowledged'):
            pass
            yield ' <span class="ack-mark">acknowledged</span>'
        yield ' <span class="ids">('
        yield escape(environment.getattr(l_1_f, 'location'))
        yield ')</span>: '
        yield escape(environment.getattr(l_1_f, 'message'))
        if environment.getattr(l_1_f, 'acknowledged'):
            pass
            yield '<div class="ack">Reason: '
            yield escape(environment.getattr(l_1_f, 'acknowledged'))
            yield '</div>'
        yield '</li>\n'
    l_1_f = missing
    yield '</ul>\n</section>\n</div>\n</body>\n</html>\n'

blocks = {}
debug_info = '11=37&12=39&14=46&17=53&19=55&21=62&22=74&24=79&31=85&32=91&34=94&37=106&41=110&43=115&49=135&53=138&64=158&65=162&70=217&72=238&73=246&78=261&82=264&91=280&92=289&93=294&95=301&97=308&99=315&101=322&103=342&104=356&91=367&110=369&115=372&123=385&131=393&133=399&135=421&140=424&141=428&145=444&151=457&155=460&161=473&164=476&170=485&172=492&173=496'