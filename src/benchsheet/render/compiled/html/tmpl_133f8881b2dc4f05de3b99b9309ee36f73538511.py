from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_failed = resolve('failed')
    l_0_entries = resolve('entries')
    pass
    yield '# Bench sheets\n\n'
    if (undefined(name='failed') if l_0_failed is missing else l_0_failed):
        pass
        yield 'Validation failed at error level: sheets were written for the files that modelled.\n\n'
    yield '| Protocol | Variant | Sheets | Errors | Warnings | Notes | Acknowledged |\n|---|---|---|---|---|---|---|\n'
    for l_1_e in (undefined(name='entries') if l_0_entries is missing else l_0_entries):
        _loop_vars = {}
        pass
        yield '| '
        yield escape(environment.getattr(l_1_e, 'title'))
        yield ' ('
        yield escape(environment.getattr(l_1_e, 'protocol_id'))
        yield ') | '
        yield escape((environment.getattr(l_1_e, 'variant') or 'base'))
        yield ' | '
        if environment.getattr(l_1_e, 'md'):
            pass
            yield '[md]('
            yield escape(environment.getattr(l_1_e, 'md'))
            yield '), [html]('
            yield escape(environment.getattr(l_1_e, 'html'))
            yield ')'
        else:
            pass
            yield 'not rendered: '
            yield escape(environment.getattr(l_1_e, 'reason'))
        yield ' | '
        yield escape(environment.getattr(l_1_e, 'errors'))
        yield ' | '
        yield escape(environment.getattr(l_1_e, 'warnings'))
        yield ' | '
        yield escape(environment.getattr(l_1_e, 'notes'))
        yield ' | '
        yield escape(environment.getattr(l_1_e, 'acknowledged'))
        yield ' |\n'
    l_1_e = missing

blocks = {}
debug_info = '3=14&9=18&10=22'