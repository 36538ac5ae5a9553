INSERT INTO public.a (id, name) VALUES (5, 'streamed');
UPDATE public.single SET note = 'changed' WHERE id = 7;
DELETE FROM public.b WHERE k1 = 0;
INSERT INTO public.zz_empty VALUES (1);
