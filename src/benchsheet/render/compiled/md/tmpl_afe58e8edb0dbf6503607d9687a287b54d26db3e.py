from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'counts.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_sheet = resolve('sheet')
    l_0_n = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    def macro(l_1_count, l_1_one, l_1_many):
        t_2 = []
        if l_1_count is missing:
            l_1_count = undefined("parameter 'count' was not provided", name='count')
        if l_1_one is missing:
            l_1_one = undefined("parameter 'one' was not provided", name='one')
        if l_1_many is missing:
            l_1_many = undefined("parameter 'many' was not provided", name='many')
        pass
        t_2.extend((
            str(environment.finalize(l_1_count)),
            ' ',
            str(environment.finalize((l_1_one if (l_1_count == 1) else l_1_many))),
        ))
        return concat(t_2)
    context.exported_vars.add('n')
    context.vars['n'] = l_0_n = Macro(environment, macro, 'n', ('count', 'one', 'many'), False, False, False, context.eval_ctx.autoescape)
    yield str(environment.finalize(context.call((undefined(name='n') if l_0_n is missing else l_0_n), environment.getitem(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'counts'), 'error'), 'error', 'errors')))
    yield ', '
    yield str(environment.finalize(context.call((undefined(name='n') if l_0_n is missing else l_0_n), environment.getitem(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'counts'), 'warning'), 'warning', 'warnings')))
    yield ', '
    yield str(environment.finalize(context.call((undefined(name='n') if l_0_n is missing else l_0_n), environment.getitem(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'counts'), 'info'), 'note', 'notes')))
    yield ', '
    yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'counts'), 'acknowledged')))
    yield ' acknowledged.'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on'):
        pass
        yield ' '
        yield str(environment.finalize(context.call((undefined(name='n') if l_0_n is missing else l_0_n), t_1(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on')), 'error or warning', 'errors and warnings')))
        yield ' to act on '
        yield str(environment.finalize(('is' if (t_1(environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'act_on')) == 1) else 'are')))
        yield ' listed under Before you start, not here.'
    if environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazard_notes'):
        pass
        yield ' '
        yield str(environment.finalize(context.call((undefined(name='n') if l_0_n is missing else l_0_n), environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazard_notes'), 'note repeats', 'notes repeat')))
        yield ' the hazard box above and '
        yield str(environment.finalize(('is' if (environment.getattr((undefined(name='sheet') if l_0_sheet is missing else l_0_sheet), 'hazard_notes') == 1) else 'are')))
        yield ' not listed here.'

blocks = {}
debug_info = '2=19&3=36'