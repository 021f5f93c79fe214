from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'eln_body.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_sheet = resolve('sheet')
    l_0_variants = resolve('variants')
    try:
        t_1 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'):
        pass
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'))
        yield '\n\n'
    yield '| Protocol | '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'protocol_id'))
    yield ', version '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'version'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'):
        pass
        yield ', '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'))
    yield ' |\n|---|---|\n| Source | '
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi'):
        pass
        yield '[doi:'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi'))
        yield ']('
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'doi_url'))
        yield '), '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'section'))
    yield ' |\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'citation'):
        pass
        yield '| Citation | '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'citation'))
        yield ' |\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'):
        pass
        yield '| Parameters | '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'settings'))
        yield ' |\n'
    yield '| File | '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'file'))
    yield ', sha256 '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'content_hash'))
    yield ' |\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'authors'):
        pass
        yield '| Authors | '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'authors'))
        if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'license'):
            pass
            yield ' ('
            yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'license'))
            yield ')'
        yield ' |\n'
    if (undefined(name='variants') if l_0_variants is missing else l_0_variants):
        pass
        yield "\n## Variants\n\nThis entry is the base protocol; each variant's own bench sheets are attached.\n\n| Variant | Settings | Bench sheets |\n|---|---|---|\n"
        for l_1_v in (undefined(name='variants') if l_0_variants is missing else l_0_variants):
            _loop_vars = {}
            pass
            yield '| '
            yield escape(environment.getattr(l_1_v, 'name'))
            yield ' | '
            yield escape(environment.getattr(l_1_v, 'settings'))
            yield ' | '
            yield escape(environment.getattr(l_1_v, 'markdown_file'))
            yield ', '
            yield escape(environment.getattr(l_1_v, 'html_file'))
            yield ' |\n'
        l_1_v = missing
    yield '\n## Hazards\n\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word'):
        pass
        yield '**'
        yield escape(t_1(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word')))
        yield '**\n\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'):
        pass
        yield '| Reagent | Signal word | GHS pictograms | H statements |\n|---|---|---|---|\n'
        l_1_loop = missing
        for l_1_h, l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'), undefined):
            _loop_vars = {}
            pass
            yield '| '
            yield escape(environment.getattr(l_1_h, 'name'))
            yield ' ('
            yield escape(environment.getattr(l_1_h, 'materials'))
            yield ') | '
            yield escape(environment.getattr(l_1_h, 'signal_word'))
            yield ' | '
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
            yield ' | '
            yield escape(environment.getattr(l_1_h, 'h_codes'))
            yield ' |\n'
        l_1_loop = l_1_h = missing
        yield '\n'
        for l_1_s in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'statements'):
            _loop_vars = {}
            pass
            yield '- **'
            yield escape(environment.getattr(l_1_s, 'code'))
            yield '** '
            yield escape(environment.getattr(l_1_s, 'text'))
            yield ' ('
            yield escape(environment.getattr(l_1_s, 'reagents'))
            yield ')\n'
        l_1_s = missing
    else:
        pass
        yield 'No GHS data for any reagent.\n'
    yield '\nControls required:\n\n'
    t_2 = 1
    for l_1_control in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'controls'):
        _loop_vars = {}
        pass
        yield '- ☐ '
        yield escape(l_1_control)
        yield '\n'
        t_2 = 0
    l_1_control = missing
    if t_2:
        pass
        yield "- none derived from the reagents' GHS data\n"
    yield '\n## Materials\n\n| Id | Material | As written | Amount | Mass | Volume | Equiv. | Weighed / dispensed |\n|---|---|---|---|---|---|---|---|\n'
    for l_1_m in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'materials'):
        _loop_vars = {}
        pass
        yield '| '
        yield escape(environment.getattr(l_1_m, 'id'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'name'))
        if environment.getattr(l_1_m, 'role'):
            pass
            yield ' ('
            yield escape(environment.getattr(l_1_m, 'role'))
            yield ')'
        if environment.getattr(l_1_m, 'made_by'):
            pass
            yield '; '
            yield escape(environment.getattr(l_1_m, 'made_by'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'written'))
        if environment.getattr(l_1_m, 'total'):
            pass
            yield '; '
            yield escape(environment.getattr(l_1_m, 'total'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'mmol'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'mass'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'volume'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'equivalents'))
        yield ' | '
        if environment.getattr(l_1_m, 'blank_unit'):
            pass
            yield '\\_\\_\\_\\_\\_\\_ '
            yield escape(environment.getattr(l_1_m, 'blank_unit'))
        yield ' |\n'
    l_1_m = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'):
        pass
        yield '\nEquivalents are against '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'))
        yield '.\n'
    yield '\n## Steps\n\n'
    l_1_loop = missing
    for (l_1_depth, l_1_step), l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'flat_steps'), undefined):
        l_1_range = resolve('range')
        l_1_indent = missing
        _loop_vars = {}
        pass
        l_1_indent = ('  ' * l_1_depth)
        _loop_vars['indent'] = l_1_indent
        yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
        yield '- ☐ **'
        yield escape(environment.getattr(l_1_step, 'number'))
        yield '.** '
        yield escape(environment.getattr(l_1_step, 'text'))
        yield '\n'
        if environment.getattr(l_1_step, 'note'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  - Note: '
            yield escape(environment.getattr(l_1_step, 'note'))
            yield '\n'
        if environment.getattr(l_1_step, 'releases'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  - Gas: '
            yield escape(environment.getattr(l_1_step, 'releases'))
            yield '\n'
        if environment.getattr(l_1_step, 'cycles'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  - Cycles: '
            l_2_loop = missing
            for l_2_n, l_2_loop in LoopContext(context.call((undefined(name='range') if l_1_range is missing else l_1_range), 1, (environment.getattr(l_1_step, 'cycles') + 1), _loop_vars=_loop_vars), undefined):
                _loop_vars = {}
                pass
                yield '☐ '
                yield escape(l_2_n)
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ' '
            l_2_loop = l_2_n = missing
            yield '\n'
        if environment.getattr(l_1_step, 'blanks'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  - '
            l_2_loop = missing
            for l_2_blank, l_2_loop in LoopContext(environment.getattr(l_1_step, 'blanks'), undefined):
                _loop_vars = {}
                pass
                yield escape(l_2_blank)
                yield ': \\_\\_\\_\\_\\_\\_'
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ' · '
            l_2_loop = l_2_blank = missing
            yield '\n'
    l_1_loop = l_1_depth = l_1_step = l_1_indent = l_1_range = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
        pass
        yield '\n## Results\n\n| Product | Theoretical | Obtained | Yield |\n|---|---|---|---|\n'
        for l_1_r in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
            _loop_vars = {}
            pass
            yield '| '
            yield escape(environment.getattr(l_1_r, 'label'))
            yield ' ('
            yield escape(environment.getattr(l_1_r, 'detail'))
            yield ') | '
            yield escape(environment.getattr(l_1_r, 'text'))
            yield ' | \\_\\_\\_\\_\\_\\_ mg | \\_\\_\\_\\_\\_\\_ % |\n'
        l_1_r = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'findings'):
        pass
        yield '\n## Findings\n\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'findings'):
            _loop_vars = {}
            pass
            yield '- '
            yield escape(environment.getattr(l_1_f, 'code'))
            yield ' '
            yield escape(environment.getattr(l_1_f, 'severity'))
            if environment.getattr(l_1_f, 'acknowledged'):
                pass
                yield ', acknowledged'
            yield ': '
            yield escape(environment.getattr(l_1_f, 'message'))
            if environment.getattr(l_1_f, 'acknowledged'):
                pass
                yield '. Reason: '
                yield escape(environment.getattr(l_1_f, 'acknowledged'))
            yield '\n'
        l_1_f = missing
    yield '\n## Sign-off\n\n| | Name | Date |\n|---|---|---|\n| Performed by | \\_\\_\\_\\_\\_\\_ | \\_\\_\\_\\_\\_\\_ |\n| Checked by | \\_\\_\\_\\_\\_\\_ | \\_\\_\\_\\_\\_\\_ |\n'

blocks = {}
debug_info = '8=19&9=21&12=24&14=32&15=41&16=44&18=46&19=49&21=52&22=56&23=59&25=66&33=69&34=73&40=83&41=86&44=88&47=92&48=96&51=119&52=123&60=135&61=139&70=147&71=151&73=184&75=187&80=191&81=196&82=198&83=204&84=206&86=210&87=212&89=216&90=218&93=231&94=233&98=247&104=250&105=254&108=261&112=264&113=268'