from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'fragment.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_sheet = resolve('sheet')
    try:
        t_1 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    yield '<div class="bs-sheet">\n<style>\n.bs-sheet { font-family: system-ui, sans-serif; font-size: 0.95em; line-height: 1.35; }\n.bs-sheet h3 { margin: 0.2em 0; }\n.bs-sheet h4 { margin: 0.8em 0 0.3em; }\n.bs-sheet table { border-collapse: collapse; margin: 0.3em 0; }\n.bs-sheet th, .bs-sheet td { border: 1px solid #999; padding: 0.15em 0.4em; text-align: left; vertical-align: top; }\n.bs-sheet .bs-hazards { border: 2px solid #b00; padding: 0.3em 0.6em; margin: 0.5em 0; }\n.bs-sheet .bs-signal { color: #b00; font-weight: bold; }\n.bs-sheet .bs-steps { list-style: none; padding-left: 0.5em; }\n.bs-sheet .bs-blank { color: #666; }\n</style>\n<h3>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'title'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'):
        pass
        yield ' ('
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'))
        yield ')'
    yield '</h3>\n<p>'
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'protocol_id'))
    yield ', version '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'version'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'):
        pass
        yield ', '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'):
        pass
        yield '; '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'))
    yield '</p>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'):
        pass
        yield '<p>'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'))
        yield '</p>\n'
    yield '<div class="bs-hazards">\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word'):
        pass
        yield '<p class="bs-signal">'
        yield escape(t_1(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word')))
        yield '</p>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'):
        pass
        yield '<table>\n<tr><th>Reagent</th><th>Signal word</th><th>GHS pictograms</th><th>H statements</th></tr>\n'
        l_1_loop = missing
        for l_1_h, l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'), undefined):
            _loop_vars = {}
            pass
            yield '<tr><td>'
            yield escape(environment.getattr(l_1_h, 'name'))
            yield ' ('
            yield escape(environment.getattr(l_1_h, 'materials'))
            yield ')</td><td>'
            yield escape(environment.getattr(l_1_h, 'signal_word'))
            yield '</td><td>'
            l_2_loop = missing
            for l_2_p, l_2_loop in LoopContext(environment.getattr(l_1_h, 'pictograms'), undefined):
                _loop_vars = {}
                pass
                yield escape(environment.getattr(l_2_p, 'code'))
                yield ' ('
                yield escape(environment.getattr(l_2_p, 'name'))
                yield ')'
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
            l_2_loop = l_2_p = missing
            yield '</td><td>'
            yield escape(environment.getattr(l_1_h, 'h_codes'))
            yield '</td></tr>\n'
        l_1_loop = l_1_h = missing
        yield '</table>\n<ul>\n'
        for l_1_s in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'statements'):
            _loop_vars = {}
            pass
            yield '<li><b>'
            yield escape(environment.getattr(l_1_s, 'code'))
            yield '</b> '
            yield escape(environment.getattr(l_1_s, 'text'))
            yield ' ('
            yield escape(environment.getattr(l_1_s, 'reagents'))
            yield ')</li>\n'
        l_1_s = missing
        yield '</ul>\n'
    else:
        pass
        yield '<p>No GHS data for any reagent.</p>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'controls'):
        pass
        yield '<ul class="bs-steps">\n'
        for l_1_control in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'controls'):
            _loop_vars = {}
            pass
            yield '<li>☐ '
            yield escape(l_1_control)
            yield '</li>\n'
        l_1_control = missing
        yield '</ul>\n'
    yield '</div>\n<h4>Materials</h4>\n<table>\n<tr><th>Id</th><th>Material</th><th>Amount</th><th>Mass</th><th>Volume</th><th>Equiv.</th></tr>\n'
    for l_1_m in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'materials'):
        _loop_vars = {}
        pass
        yield '<tr><td>'
        yield escape(environment.getattr(l_1_m, 'id'))
        yield '</td><td>'
        yield escape(environment.getattr(l_1_m, 'name'))
        if environment.getattr(l_1_m, 'role'):
            pass
            yield ' ('
            yield escape(environment.getattr(l_1_m, 'role'))
            yield ')'
        yield '</td><td>'
        yield escape(environment.getattr(l_1_m, 'mmol'))
        yield '</td><td>'
        yield escape(environment.getattr(l_1_m, 'mass'))
        yield '</td><td>'
        yield escape(environment.getattr(l_1_m, 'volume'))
        yield '</td><td>'
        yield escape(environment.getattr(l_1_m, 'equivalents'))
        yield '</td></tr>\n'
    l_1_m = missing
    yield '</table>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'):
        pass
        yield '<p>Equivalents are against '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'))
        yield '.</p>\n'
    yield '<h4>Steps</h4>\n<ul class="bs-steps">\n'
    for (l_1_depth, l_1_step) in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'flat_steps'):
        _loop_vars = {}
        pass
        yield '<li style="margin-left: '
        yield escape((l_1_depth * 1.5))
        yield 'em">☐ <b>'
        yield escape(environment.getattr(l_1_step, 'number'))
        yield '.</b> '
        yield escape(environment.getattr(l_1_step, 'text'))
        if environment.getattr(l_1_step, 'note'):
            pass
            yield ' <i>'
            yield escape(environment.getattr(l_1_step, 'note'))
            yield '</i>'
        yield '</li>\n'
    l_1_depth = l_1_step = missing
    yield '</ul>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
        pass
        yield '<h4>Results</h4>\n<table>\n<tr><th>Product</th><th>Theoretical</th></tr>\n'
        for l_1_r in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
            _loop_vars = {}
            pass
            yield '<tr><td>'
            yield escape(environment.getattr(l_1_r, 'label'))
            yield '</td><td>'
            yield escape(environment.getattr(l_1_r, 'text'))
            yield '</td></tr>\n'
        l_1_r = missing
        yield '</table>\n'
    yield '<h4>Findings</h4>\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'findings'):
        pass
        yield '<ul>\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'findings'):
            _loop_vars = {}
            pass
            yield '<li>'
            yield escape(environment.getattr(l_1_f, 'code'))
            yield ' '
            yield escape(environment.getattr(l_1_f, 'severity'))
            if environment.getattr(l_1_f, 'acknowledged'):
                pass
                yield ', acknowledged'
            yield ': '
            yield escape(environment.getattr(l_1_f, 'message'))
            yield '</li>\n'
        l_1_f = missing
        yield '</ul>\n'
    else:
        pass
        yield '<p>None.</p>\n'
    yield '</div>\n'

blocks = {}
debug_info = '18=19&19=26&20=38&21=41&24=44&25=47&27=49&30=53&31=57&35=80&36=84&42=95&44=98&45=102&53=107&54=111&57=130&58=133&62=136&63=140&66=153&70=156&71=160&76=167&78=170&79=174'