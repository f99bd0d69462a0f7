select file_id, count(*) as n_callables
from callables
group by file_id
