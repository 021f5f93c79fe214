from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'sheet.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_sheet = resolve('sheet')
    try:
        t_1 = environment.filters['capitalize']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'capitalize' found.")
    try:
        t_2 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    yield '# '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'title'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'):
        pass
        yield ' ('
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'variant'))
        yield ')'
    yield '\n\n| | |\n|---|---|\n| Protocol | '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'protocol_id'))
    yield ', version '
    yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'version'))
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'):
        pass
        yield ', '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'date'))
    yield ' |\n| Source | '
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
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'scale'):
        pass
        yield '| Scaled | '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'scale'))
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
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'):
        pass
        yield '\n'
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'summary'))
        yield '\n'
    yield '\n## Hazards\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word'):
        pass
        yield '\n**'
        yield escape(t_2(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'signal_word')))
        yield '**\n'
    yield '\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'pictograms'):
        pass
        yield 'Pictograms: '
        l_1_loop = missing
        for l_1_p, l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'pictograms'), undefined):
            _loop_vars = {}
            pass
            yield escape(environment.getattr(l_1_p, 'code'))
            yield ' '
            yield escape(environment.getattr(l_1_p, 'name'))
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ', '
        l_1_loop = l_1_p = missing
        yield " (each reagent's pictograms and H statements: appendix, Hazards in full).\n\n"
    elif (not environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards')):
        pass
        yield 'No GHS data for any reagent.\n\n'
    yield 'Controls required:\n\n'
    t_3 = 1
    for l_1_control in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'controls'):
        _loop_vars = {}
        pass
        yield '- [ ] '
        yield escape(l_1_control)
        yield '\n'
        t_3 = 0
    l_1_control = missing
    if t_3:
        pass
        yield "- none derived from the reagents' GHS data\n"
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on'):
        pass
        yield '\n## Before you start\n\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on'):
            _loop_vars = {}
            pass
            yield '- [ ] '
            yield escape(t_1(environment.getattr(l_1_f, 'severity')))
            yield ': '
            yield escape(environment.getattr(l_1_f, 'message'))
            if environment.getattr(l_1_f, 'hint'):
                pass
                yield ' — '
                yield escape(environment.getattr(l_1_f, 'hint'))
            yield ' ('
            yield escape(environment.getattr(l_1_f, 'code'))
            yield ')\n'
        l_1_f = missing
    yield '\n## Materials\n\n| Id | Material | CAS | Form, purity | As written | Amount | Mass | Volume | Equiv. | Weighed / dispensed | Lot / batch |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
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
        yield escape(environment.getattr(l_1_m, 'cas'))
        yield ' | '
        yield escape(environment.getattr(l_1_m, 'form'))
        if (environment.getattr(l_1_m, 'form') and environment.getattr(l_1_m, 'purity')):
            pass
            yield ', '
        yield escape(environment.getattr(l_1_m, 'purity'))
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
            yield '\\_\\_\\_\\_ '
            yield escape(environment.getattr(l_1_m, 'blank_unit'))
        yield ' | '
        if (environment.getattr(l_1_m, 'weigh') in ('mass', 'volume')):
            pass
            yield '\\_\\_\\_\\_\\_\\_'
        yield ' |\n'
    l_1_m = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'):
        pass
        yield '\nEquivalents are against '
        yield escape(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'limiting'))
        yield ', '
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
        yield '\n'
    def t_4(fiter):
        for l_1_m in fiter:
            if (environment.getattr(l_1_m, 'note') or environment.getattr(l_1_m, 'assumed')):
                yield l_1_m
    l_1_loop = missing
    for l_1_m, l_1_loop in LoopContext(t_4(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'materials')), undefined):
        _loop_vars = {}
        pass
        if environment.getattr(l_1_loop, 'first'):
            pass
            yield '\n'
        yield '- '
        yield escape(environment.getattr(l_1_m, 'id'))
        yield ':'
        if environment.getattr(l_1_m, 'note'):
            pass
            yield ' '
            yield escape(environment.getattr(l_1_m, 'note'))
        if environment.getattr(l_1_m, 'assumed'):
            pass
            yield ' Assumed: '
            yield escape(environment.getattr(l_1_m, 'assumed'))
        yield '\n'
    l_1_loop = l_1_m = missing
    if (environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'vessels') or environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'equipment')):
        pass
        yield '\n## Equipment and vessels\n\n'
        for l_1_row in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'vessels'):
            _loop_vars = {}
            pass
            yield '- '
            yield escape(environment.getattr(l_1_row, 'label'))
            yield ': '
            yield escape(environment.getattr(l_1_row, 'text'))
            if environment.getattr(l_1_row, 'detail'):
                pass
                yield ' ('
                yield escape(environment.getattr(l_1_row, 'detail'))
                yield ')'
            yield '\n'
        l_1_row = missing
        for l_1_row in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'equipment'):
            _loop_vars = {}
            pass
            yield '- '
            yield escape(environment.getattr(l_1_row, 'label'))
            yield ': '
            yield escape(environment.getattr(l_1_row, 'text'))
            if environment.getattr(l_1_row, 'detail'):
                pass
                yield ' ('
                yield escape(environment.getattr(l_1_row, 'detail'))
                yield ')'
            yield '\n'
        l_1_row = missing
    yield '\n## Steps\n\n'
    l_1_loop = missing
    for (l_1_depth, l_1_step), l_1_loop in LoopContext(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'flat_steps'), undefined):
        l_1_range = resolve('range')
        l_1_indent = missing
        _loop_vars = {}
        pass
        l_1_indent = ('    ' * l_1_depth)
        _loop_vars['indent'] = l_1_indent
        yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
        yield '- [ ] **'
        yield escape(environment.getattr(l_1_step, 'number'))
        yield '.** '
        yield escape(environment.getattr(l_1_step, 'text'))
        yield '\n'
        if environment.getattr(l_1_step, 'note'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  Note: '
            yield escape(environment.getattr(l_1_step, 'note'))
            yield '\n'
        if environment.getattr(l_1_step, 'assumed'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  Assumed: '
            yield escape(environment.getattr(l_1_step, 'assumed'))
            yield '\n'
        if environment.getattr(l_1_step, 'releases'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  Gas: '
            yield escape(environment.getattr(l_1_step, 'releases'))
            yield '\n'
        if environment.getattr(l_1_step, 'after'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  After this step: '
            yield escape(environment.getattr(l_1_step, 'after'))
            yield '\n'
        if environment.getattr(l_1_step, 'cycles'):
            pass
            yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
            yield '  cycles: '
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
        yield escape((undefined(name='indent') if l_1_indent is missing else l_1_indent))
        yield '  '
        l_2_loop = missing
        for l_2_blank, l_2_loop in LoopContext(environment.getattr(l_1_step, 'sized_blanks'), undefined):
            _loop_vars = {}
            pass
            yield escape(environment.getattr(l_2_blank, 'label'))
            yield ': '
            if (environment.getattr(l_2_blank, 'size') == 'short'):
                pass
                yield '\\_\\_\\_\\_\\_\\_'
            elif (environment.getattr(l_2_blank, 'size') == 'medium'):
                pass
                yield '\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_'
            else:
                pass
                yield '\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_'
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ' · '
        l_2_loop = l_2_blank = missing
        yield '\n\n'
    l_1_loop = l_1_depth = l_1_step = l_1_indent = l_1_range = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
        pass
        yield '\n## Results\n\n| Product | Theoretical | Obtained | Yield | Appearance, observations |\n|---|---|---|---|---|\n'
        for l_1_r in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'results'):
            _loop_vars = {}
            pass
            yield '| '
            yield escape(environment.getattr(l_1_r, 'label'))
            yield ' ('
            yield escape(environment.getattr(l_1_r, 'detail'))
            yield ') | '
            yield escape(environment.getattr(l_1_r, 'text'))
            yield ' | | % | |\n'
        l_1_r = missing
    yield '\n## Sign-off\n\n| | Name | Date | Signature |\n|---|---|---|---|\n| Performed by | | | |\n| Checked by | | | |\n\n\n## Appendix\n'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazards'):
        pass
        yield '\n### Hazards in full\n\n| Reagent | Signal word | Pictograms | H statements |\n|---|---|---|---|\n'
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
                yield ' '
                yield escape(environment.getattr(l_2_p, 'name'))
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
            yield '- '
            yield escape(environment.getattr(l_1_s, 'code'))
            yield ': '
            yield escape(environment.getattr(l_1_s, 'text'))
            yield ' ('
            yield escape(environment.getattr(l_1_s, 'reagents'))
            yield ')\n'
        l_1_s = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'figures'):
        pass
        yield '\n### Computed\n\n| | | |\n|---|---|---|\n'
        for l_1_f in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'figures'):
            _loop_vars = {}
            pass
            yield '| '
            yield escape(environment.getattr(l_1_f, 'label'))
            yield ' | '
            yield escape(environment.getattr(l_1_f, 'text'))
            yield ' | '
            yield escape(environment.getattr(l_1_f, 'detail'))
            yield ' |\n'
        l_1_f = missing
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'assumptions'):
        pass
        yield '\n### Assumptions\n\n'
        for l_1_a in environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'assumptions'):
            _loop_vars = {}
            pass
            yield '- '
            yield escape(l_1_a)
            yield '\n'
        l_1_a = missing
    yield '\n### Findings\n\n'
    template = environment.get_template('counts.j2', 'sheet.md.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n\n'
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
        yield ' ('
        yield escape(environment.getattr(l_1_f, 'location'))
        yield '): '
        yield escape(environment.getattr(l_1_f, 'message'))
        if environment.getattr(l_1_f, 'acknowledged'):
            pass
            yield '. Reason: '
            yield escape(environment.getattr(l_1_f, 'acknowledged'))
        yield '\n'
    l_1_f = missing

blocks = {}
debug_info = '4=25&9=32&10=40&11=49&12=52&14=54&15=57&17=59&18=62&20=65&21=69&22=72&24=79&26=82&30=85&32=88&35=91&36=95&38=106&44=111&45=115&49=122&53=125&54=129&62=141&63=145&65=190&67=193&69=211&70=219&73=223&76=235&80=238&81=242&84=252&85=256&92=268&93=273&94=275&95=281&96=283&98=287&99=289&101=293&102=295&104=299&105=301&107=305&108=307&111=320&115=343&121=346&122=350&135=358&141=362&142=366&145=388&146=392&149=399&155=402&156=406&159=413&163=416&164=420&170=424&173=431&174=435'